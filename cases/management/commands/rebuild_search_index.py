import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from cases import search
from cases.models import CaseStudy, SearchDocument


class Command(BaseCommand):
    help = "Rebuild the search index of every published case study and lesson, in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=200, help="case studies per transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        started = time.perf_counter()
        search.dictionary(refresh=True)
        ids = list(CaseStudy.objects.published().order_by("pk").values_list("pk", flat=True))
        # Rows of what is no longer public go first.
        SearchDocument.objects.exclude(case_study__is_published=True).delete()
        rows = 0
        batch = max(1, options["batch"])
        with tqdm(
            total=len(ids), unit="case", disable=options["no_progress"], file=self.stderr
        ) as bar:
            for start in range(0, len(ids), batch):
                chunk = ids[start : start + batch]
                rows += search.index_cases_bulk(chunk)
                bar.update(len(chunk))
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {len(ids)} case studies ({rows} rows) in {elapsed:.1f} s.")
        )

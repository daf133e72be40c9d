import multiprocessing
import time

from django.core.management.base import BaseCommand
from django.db import connection, connections
from tqdm import tqdm

from awards import permissions
from awards.models import Entry
from cases import facet_summary, search
from cases.models import CaseStudy, SearchDocument

Kind = SearchDocument.Kind


def _index_chunk(chunk):
    return len(chunk), search.index_cases_bulk(chunk)


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every published case study and lesson, and the private "
        "rows of submitted entries, in bulk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=200, help="case studies per transaction")
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="segment in this many processes (PostgreSQL; segmentation is CPU-bound)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        started = time.perf_counter()
        search.dictionary(refresh=True)  # loaded once, then shared by the forked processes
        ids = list(CaseStudy.objects.published().order_by("pk").values_list("pk", flat=True))
        # Rows of what is no longer public go first (entries' rows are not public ones).
        public = SearchDocument.objects.filter(kind__in=[Kind.CASE, Kind.LESSON])
        public.exclude(case_study__is_published=True).delete()
        batch = max(1, options["batch"])
        chunks = [ids[start : start + batch] for start in range(0, len(ids), batch)]
        processes = options["processes"] if connection.vendor == "postgresql" else 1
        rows = 0
        with tqdm(
            total=len(ids), unit="case", disable=options["no_progress"], file=self.stderr
        ) as bar:
            if processes > 1:
                connections.close_all()  # each process opens its own connection
                with multiprocessing.get_context("fork").Pool(processes) as pool:
                    for done, written in pool.imap_unordered(_index_chunk, chunks):
                        rows += written
                        bar.update(done)
            else:
                for done, written in search.index_cases_in_batches(chunks):
                    rows += written
                    bar.update(done)
        entries = self._entries(batch)
        facet_summary.refresh()
        search.bump_generation()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {len(ids)} case studies ({rows} rows) and {entries} entries "
                f"in {elapsed:.1f} s."
            )
        )

    def _entries(self, batch) -> int:
        """Submitted entries' private rows; those of entries no longer past work go."""
        past = Entry.objects.filter(permissions.PAST_WORK)
        SearchDocument.objects.filter(kind=Kind.ENTRY).exclude(entry__in=past).delete()
        ids = list(past.order_by("pk").values_list("pk", flat=True))
        return sum(
            search.index_entries_bulk(ids[start : start + batch])
            for start in range(0, len(ids), batch)
        )

import sys

from django.core.management.base import BaseCommand, CommandError

from cases.importing import import_lines


class Command(BaseCommand):
    help = (
        "Import case studies from JSON Lines (one object a line; see README). Bad lines are "
        "reported with their numbers and skipped; the same external_id updates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .jsonl file, or - for standard input")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            stream = sys.stdin if path == "-" else open(path, encoding="utf-8-sig")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        with stream:
            report = import_lines(stream)
        for number, message in report.warnings:
            self.stdout.write(self.style.WARNING(f"line {number}: {message}"))
        for number, message in report.errors:
            self.stderr.write(self.style.ERROR(f"line {number}: skipped — {message}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} created, {report.updated} updated, {len(report.errors)} skipped."
            )
        )

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from awards import demo as awards_demo
from cases import demo as cases_demo
from portal.accounts import demo as portal_demo


class Command(BaseCommand):
    help = "Load reference and demo data (idempotent: a second run updates, never duplicates)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Create the demo users even with DEBUG off (they have a published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Demo users have a published password: use --allow-production.")
        agencies = portal_demo.load_agencies()
        users = portal_demo.load_users(agencies)
        cycles = awards_demo.load_award_structure()
        awards_demo.load_entries(cycles, users)
        awards_demo.load_assessment(cycles, users)
        cases = cases_demo.load_case_studies()
        groups = cases_demo.load_thesaurus()
        adoptions = cases_demo.load_adoptions()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(cases)} case studies, {adoptions} adoptions, "
                f"{groups} thesaurus groups."
            )
        )
        self.stdout.write(f"Demo sign-ins (password for all: {portal_demo.DEMO_PASSWORD}):")
        for username, role, agency, *_ in portal_demo.DEMO_USERS:
            self.stdout.write(f"  {username:<10} {role.label} — {agency}")
        self.stdout.write("  applicant  ผู้สมัครใหม่ที่รออนุมัติเข้าร่วม สวพส. (official อนุมัติได้)")

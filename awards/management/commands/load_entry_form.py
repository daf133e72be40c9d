from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from awards import entry_forms
from awards.models import Category


class Command(BaseCommand):
    help = (
        "Give a category of a cycle an entry form: a shipped one (project, pmqa40) or a JSON "
        "file in the same format (awards/fixtures/entry_forms/). It becomes the category's "
        "next version; entries already started keep theirs."
    )

    def add_arguments(self, parser):
        parser.add_argument("form", help="project, pmqa40, or the path of a .json file")
        parser.add_argument("--year", type=int, required=True, help="the cycle's B.E. year")
        parser.add_argument("--category", required=True, help="the category's code")

    def handle(self, *args, **options):
        try:
            category = Category.objects.get(
                cycle__year_be=options["year"], code=options["category"]
            )
        except Category.DoesNotExist as exc:
            raise CommandError(
                f"no category {options['category']} in the cycle {options['year']}"
            ) from exc
        try:
            data = entry_forms.read(options["form"])
            form = entry_forms.form_from_data(category, data)
        except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
            raise CommandError(f"cannot load {options['form']}: {exc}") from exc
        for problem in entry_forms.problems(form):
            self.stdout.write(self.style.WARNING(str(problem)))
        self.stdout.write(self.style.SUCCESS(f"{form} (id {form.pk})"))

"""The thesaurus starts from the reviewed list cases/thesaurus_seed.tsv (staff edit it in the
admin afterwards; `seed_demo` — cases.demo.load_thesaurus — adds groups the file gained since)."""

from django.db import migrations


def seed(apps, schema_editor):
    from cases.search.thesaurus import seed_groups

    seed_groups(apps.get_model("cases", "ThesaurusGroup"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_search_subword_engine")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

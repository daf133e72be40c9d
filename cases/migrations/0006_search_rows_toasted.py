"""PostgreSQL: keep the index table's rows small (the long word lists and vectors go to TOAST),
so that counting or walking many matching rows reads few pages."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_searchdocument SET (toast_tuple_target = 128)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_searchdocument RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_thai_slugs")]
    operations = [migrations.RunPython(forwards, backwards)]

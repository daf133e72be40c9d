"""The "ผู้ตรวจประเมิน" group: the model permissions an assessor needs in the admin.

Model permissions only open the doors; which rows an assessor sees behind them is decided by
awards/permissions.py (their own assignments, sheets and site visits)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from awards.permissions import ASSESSOR_GROUP as GROUP
from awards.permissions import ensure_assessor_group


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate): make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_assessor_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0004_assessor_conflict_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]

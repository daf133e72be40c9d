from django.db import migrations


def load(apps, schema_editor):
    from portal.reference import PROVINCES, SDGS

    Province = apps.get_model("portal", "Province")
    SDG = apps.get_model("portal", "SDG")
    for code, name_th, name_en, region in PROVINCES:
        Province.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "region": region}
        )
    for number, name_th, name_en in SDGS:
        SDG.objects.update_or_create(number=number, defaults={"name_th": name_th, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

import cases.slugs
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_search_engine")]

    operations = [
        migrations.AlterField(
            model_name="casestudy",
            name="slug",
            field=models.CharField(
                max_length=200,
                unique=True,
                validators=[cases.slugs.validate_thai_slug],
                verbose_name="ชื่อใน URL",
            ),
        ),
        migrations.AlterField(
            model_name="lesson",
            name="slug",
            field=models.CharField(
                max_length=200,
                unique=True,
                validators=[cases.slugs.validate_thai_slug],
                verbose_name="ชื่อใน URL",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcasestudy",
            name="slug",
            field=models.CharField(
                db_index=True,
                max_length=200,
                validators=[cases.slugs.validate_thai_slug],
                verbose_name="ชื่อใน URL",
            ),
        ),
        migrations.AlterField(
            model_name="historicallesson",
            name="slug",
            field=models.CharField(
                db_index=True,
                max_length=200,
                validators=[cases.slugs.validate_thai_slug],
                verbose_name="ชื่อใน URL",
            ),
        ),
    ]

"""Notifications (rows, templates staff edit, reminder schedules) and the language a person is
written to in."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('portal', '0005_second_factor'),
    ]

    operations = [
        migrations.CreateModel(
            name='NotificationSchedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=50, unique=True, verbose_name='ชนิดการแจ้งเตือน')),
                ('days_before', models.CharField(help_text='จำนวนวันก่อนกำหนด คั่นด้วยจุลภาค เช่น 14, 7, 1', max_length=100, verbose_name='ส่งก่อนกำหนดกี่วัน')),
            ],
            options={
                'verbose_name': 'กำหนดการเตือน',
                'verbose_name_plural': 'กำหนดการเตือน',
                'ordering': ['kind'],
            },
        ),
        # ADD COLUMN, not Django's SQLite table remake: awards/0004's conflict triggers name
        # portal_user, and SQLite refuses to rename a table a trigger reads.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE portal_user ADD COLUMN language varchar(5) NOT NULL DEFAULT 'th'",
                    "ALTER TABLE portal_user DROP COLUMN language",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name='user',
                    name='language',
                    field=models.CharField(choices=[('th', 'ไทย'), ('en', 'อังกฤษ')], default='th', max_length=5, verbose_name='ภาษาที่ใช้ติดต่อ'),
                ),
            ],
        ),
        migrations.CreateModel(
            name='HistoricalNotificationSchedule',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(db_index=True, max_length=50, verbose_name='ชนิดการแจ้งเตือน')),
                ('days_before', models.CharField(help_text='จำนวนวันก่อนกำหนด คั่นด้วยจุลภาค เช่น 14, 7, 1', max_length=100, verbose_name='ส่งก่อนกำหนดกี่วัน')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical กำหนดการเตือน',
                'verbose_name_plural': 'historical กำหนดการเตือน',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalNotificationTemplate',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(max_length=50, verbose_name='ชนิดการแจ้งเตือน')),
                ('language', models.CharField(choices=[('th', 'ไทย'), ('en', 'อังกฤษ')], max_length=5, verbose_name='ภาษา')),
                ('subject', models.CharField(max_length=300, verbose_name='เรื่อง')),
                ('body', models.TextField(verbose_name='ข้อความ')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='แก้ไขล่าสุด')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical แม่แบบการแจ้งเตือน',
                'verbose_name_plural': 'historical แม่แบบการแจ้งเตือน',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='NotificationTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=50, verbose_name='ชนิดการแจ้งเตือน')),
                ('language', models.CharField(choices=[('th', 'ไทย'), ('en', 'อังกฤษ')], max_length=5, verbose_name='ภาษา')),
                ('subject', models.CharField(max_length=300, verbose_name='เรื่อง')),
                ('body', models.TextField(verbose_name='ข้อความ')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='แก้ไขล่าสุด')),
            ],
            options={
                'verbose_name': 'แม่แบบการแจ้งเตือน',
                'verbose_name_plural': 'แม่แบบการแจ้งเตือน',
                'ordering': ['kind', 'language'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'language'), name='template_once_per_language')],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(db_index=True, max_length=50, verbose_name='ชนิด')),
                ('email', models.EmailField(max_length=254, verbose_name='อีเมลผู้รับ')),
                ('language', models.CharField(choices=[('th', 'ไทย'), ('en', 'อังกฤษ')], max_length=5, verbose_name='ภาษา')),
                ('subject', models.CharField(max_length=300, verbose_name='เรื่อง')),
                ('body', models.TextField(verbose_name='ข้อความ')),
                ('attachments', models.JSONField(blank=True, default=list, verbose_name='ไฟล์แนบ')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='เกี่ยวกับ (รหัส)')),
                ('occasion', models.CharField(blank=True, default='', max_length=100, verbose_name='รอบ/โอกาส')),
                ('link', models.CharField(blank=True, max_length=500, verbose_name='ลิงก์')),
                ('state', models.CharField(choices=[('queued', 'รอส่ง'), ('sent', 'ส่งแล้ว'), ('failed', 'ส่งไม่สำเร็จ')], db_index=True, default='queued', max_length=10, verbose_name='สถานะ')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='จำนวนครั้งที่พยายามส่ง')),
                ('last_error', models.TextField(blank=True, verbose_name='ข้อผิดพลาดล่าสุด')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='สร้างเมื่อ')),
                ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='เริ่มส่งเมื่อ')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='ส่งเมื่อ')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='อ่านเมื่อ')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype', verbose_name='เกี่ยวกับ (ชนิด)')),
                ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='ผู้รับ')),
            ],
            options={
                'verbose_name': 'การแจ้งเตือน',
                'verbose_name_plural': 'กล่องจดหมายออก (การแจ้งเตือน)',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['recipient', 'read_at'], name='notification_unread')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'content_type', 'object_id', 'email', 'occasion'), name='notification_once_per_occasion')],
            },
        ),
    ]

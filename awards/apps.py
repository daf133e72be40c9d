from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("รางวัลเลิศรัฐ")

    def ready(self):
        from django.db.models.signals import post_migrate

        from portal.privacy import pdpa

        from . import personal_data
        from .permissions import restore_assessor_group

        post_migrate.connect(restore_assessor_group, sender=self)
        pdpa.register_personal_data(personal_data.personal_data)

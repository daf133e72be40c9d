from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("รางวัลเลิศรัฐ")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from portal.privacy import pdpa

        from . import levels, personal_data
        from .models import AwardLevel, Branch, Cycle
        from .permissions import restore_assessor_group

        post_migrate.connect(restore_assessor_group, sender=self)
        post_migrate.connect(levels.restore_standing_levels, sender=self)
        # Level names and ranks are cached for every process: a change forgets them.
        for model in (AwardLevel, Cycle, Branch):
            post_save.connect(levels.forget, sender=model, dispatch_uid=f"levels-{model.__name__}")
            post_delete.connect(
                levels.forget, sender=model, dispatch_uid=f"levels-d-{model.__name__}"
            )
        pdpa.register_personal_data(personal_data.personal_data)

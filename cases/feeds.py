"""RSS and Atom feeds of newly published model projects."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from portal.site_address import absolute

from .models import CaseStudy


class LatestCasesFeed(Feed):
    title = _("ผลงานต้นแบบรางวัลเลิศรัฐที่เผยแพร่ล่าสุด")
    description = _("ผลงานต้นแบบและบทเรียนจากรางวัลเลิศรัฐ สำนักงาน ก.พ.ร.")
    link = reverse_lazy("cases:case_list")
    language = "th"

    def items(self):
        return (
            CaseStudy.objects.published()
            .select_related("agency")
            .order_by("-published_at", "-pk")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.agency.display_name if item.agency_id else None

    def item_guid(self, item):
        return absolute(item.get_absolute_url())


class LatestCasesAtomFeed(LatestCasesFeed):
    feed_type = Atom1Feed
    subtitle = LatestCasesFeed.description

"""sitemap.xml: every public page a search engine should know."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from portal.agencies.models import Agency

from .models import CaseStudy, Lesson


class CaseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return CaseStudy.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class LessonSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return (
            Lesson.objects.published()
            .filter(case_study__is_published=True)
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at


class AgencySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return (
            Agency.objects.filter(case_studies__is_published=True)
            .annotate(updated=Max("case_studies__updated_at"))
            .order_by("pk")
        )

    def location(self, item):
        return reverse("cases:agency_detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated


class PagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return ["cases:home", "cases:case_list", "cases:lesson_list", "cases:results_index"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PagesSitemap,
    "cases": CaseSitemap,
    "lessons": LessonSitemap,
    "agencies": AgencySitemap,
}

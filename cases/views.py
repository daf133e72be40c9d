"""Public pages (no sign-in): thin — parse the request, call the domain, render."""

from functools import cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from awards import levels
from awards.models import Branch
from portal.agencies.models import Agency
from portal.operations.ratelimit import ratelimit

from . import cards, drafting, facet_summary, fragments, listing, search, spread
from .forms import AdoptionForm, DraftCaseForm, LessonForm
from .models import CaseStudy, Lesson
from .permissions import can_record_adoption, drafts_to_review
from .structured_data import page_head


def _page_number(request):
    return request.GET.get("page") or 1


def _cached_fragment(generation=None):
    """The public pages cache their content (the same for every reader of a language) until the
    search index, i.e. what is published, changes: `{% cache %}` keyed by this generation (a
    search's page by its answer's, listing.generation), the language and the URL. So the view
    hands the template lazy values, read only when the fragment is rendered again."""
    return {"generation": generation or search.generation(),
            "fragment_seconds": search.CACHE_SECONDS}  # fmt: skip


def _count_of_public(kind, public):
    """From the worker's summary (the index holds exactly what is public), else counted."""
    total = facet_summary.total(kind)
    return public.count() if total is None else total


@require_GET
def home(request):
    published = CaseStudy.objects.published()

    @cache
    def counts():
        branches = list(Branch.objects.order_by("order", "code"))
        grid = {}
        rows = facet_summary.year_branch_counts()  # kept by the worker: no pass over every case
        if rows is None:
            rows = published.values("year_be", "branch_id").annotate(n=Count("pk")).order_by()
        for row in rows:
            grid.setdefault(row["year_be"], {})[row["branch_id"]] = row["n"]
        per_year = [
            {"year": year, "cells": [grid[year].get(b.pk, 0) for b in branches],
             "total": sum(grid[year].values())}
            for year in sorted(grid, reverse=True)
        ]  # fmt: skip
        per_branch = [
            {"branch": b, "count": sum(grid[y].get(b.pk, 0) for y in grid)} for b in branches
        ]
        return branches, per_year, [p for p in per_branch if p["count"]]

    latest_ids = published.order_by("-year_be", "-published_at", "-pk").values_list("pk", flat=True)
    return render(
        request,
        "cases/home.html",
        {
            **_cached_fragment(),
            # Every model project is an awarded work: the most recent award year first.
            "latest": lambda: fragments.case_cards(latest_ids[:6]),
            # Callables: the template calls them only when it renders the fragment.
            "branches": lambda: counts()[0],
            "per_year": lambda: counts()[1],
            "per_branch": lambda: counts()[2],
            "case_count": lambda: _count_of_public("case", published),
            "lesson_count": lambda: _count_of_public(
                "lesson", Lesson.objects.published().filter(case_study__is_published=True)
            ),
        },
    )


@require_GET
@ratelimit("search", methods=("GET",))
def case_list(request):
    result = SimpleLazyObject(
        lambda: fragments.for_page(listing.cases(request.GET, _page_number(request)))
    )
    template = "cases/_results_htmx.html" if request.htmx else "cases/case_list.html"
    query = search.parse(request.GET.get("q", ""))
    generation = listing.generation(search.Kind.CASE, query, request.GET)
    context = {"listing": result, "query": query, "sorts": listing.SORTS}
    return render(request, template, {**_cached_fragment(generation), **context})


@require_GET
def case_detail(request, slug):
    # Every request looks up only the case's id and agency: its head (title, link preview,
    # JSON-LD) is kept with its page by its own generation, and the case is read only when its
    # own part of the page is rendered again (reading it with its agency, branch, category and
    # photos on every request was 40 % of a cached page's time). What lists other case studies
    # (worked out again after any publish) needs no more than the id and agency.
    found = CaseStudy.objects.published().filter(slug=slug).values_list("pk", "agency_id").first()
    if found is None:
        raise Http404
    pk, agency_id = found

    @cache
    def case():  # unpublished since the look-up: a 404 still
        return get_object_or_404(
            CaseStudy.objects.published().select_related(
                "agency", "branch", "category", "category__cycle"
            ),
            pk=pk,
        )

    def full_case():  # what only the page's own content shows
        prefetch_related_objects([case()], "photos", "provinces", "topics", "sdgs", "documents")
        return case()

    # Each list is asked for twice by the template (whether there are any, then each): read once.
    @cache
    def adoptions():
        return list(spread.adoptions_of(case()))

    @cache
    def lessons():
        return list(case().lessons.published().order_by("title"))

    @cache
    def related():
        return fragments.case_cards(listing.related_ids(pk, agency_id))

    @cache
    def adopted():
        return list(spread.adopted_by_agency_of(pk, agency_id))

    return render(
        request,
        "cases/case_detail.html",
        {
            **_cached_fragment(),
            # Its own content follows its own generation, not every publish (issue 20).
            "case_generation": search.case_generation(pk),
            "case_page_seconds": search.CASE_PAGE_SECONDS,
            "head": page_head(pk, case, request),
            "full_case": full_case,
            "lessons": lessons,
            "related": related,
            "adoptions": adoptions,
            "spread_map": lambda: spread.province_map(adoptions()),
            "adopted": adopted,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def adopt(request, slug):
    """An official records that their agency adopted this model project (ขยายผล)."""
    case = get_object_or_404(CaseStudy.objects.published().select_related("agency"), slug=slug)
    if not can_record_adoption(request.user):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ที่สังกัดหน่วยงานแล้วจึงบันทึกการนำไปขยายผลได้"))
    form = AdoptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            spread.record_adoption(request.user, case, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("บันทึกการนำไปขยายผลแล้ว"))
            return redirect(case.get_absolute_url() + "#spread")
    return render(request, "cases/adoption_form.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def draft_review(request, pk):
    """An official reviews the draft model project made from their agency's awarded entry and
    writes its lessons learned; any other agency's draft, or a published one, is a 404."""
    case = get_object_or_404(drafts_to_review(request.user).select_related("entry"), pk=pk)
    lesson = drafting.lesson_in_review(case) or Lesson(case_study=case)
    data = request.POST if request.method == "POST" else None
    case_form = DraftCaseForm(data, instance=case, prefix="case")
    lesson_form = LessonForm(data, instance=lesson, prefix="lesson")
    if data is not None and case_form.is_valid() and lesson_form.is_valid():
        drafting.save_review(request.user, case, case_form, lesson_form)
        messages.success(request, _("บันทึกแล้ว เจ้าหน้าที่จะตรวจและเผยแพร่ต่อไป แก้ไขได้จนกว่าจะเผยแพร่"))
        return redirect("cases:draft_review", pk=case.pk)
    return render(
        request,
        "cases/draft_review.html",
        {
            "case": case,
            "case_form": case_form,
            "lesson_form": lesson_form,
            "photos": case.photos.all(),
            "documents": case.documents.all(),
        },
    )


@require_GET
def case_card(request, slug):
    """The link-preview image of a case study without a photo (cases/cards.py)."""
    case = get_object_or_404(CaseStudy.objects.published().select_related("agency"), slug=slug)
    response = HttpResponse(cards.card_png(case), content_type="image/png")
    # The URL carries the version (?v=), so a cached copy is right for a day at least.
    response["Cache-Control"] = "public, max-age=86400"
    # Chat apps and search engines fetch it from their own servers.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_GET
@ratelimit("search", methods=("GET",))
def lesson_list(request):
    result = SimpleLazyObject(
        lambda: fragments.for_page(listing.lessons(request.GET, _page_number(request)))
    )
    query = search.parse(request.GET.get("q", ""))
    generation = listing.generation(search.Kind.LESSON, query, request.GET)
    context = {"listing": result, "query": query}
    return render(request, "cases/lesson_list.html", {**_cached_fragment(generation), **context})


@require_GET
def lesson_detail(request, slug):
    lesson = get_object_or_404(
        Lesson.objects.published().select_related("case_study", "case_study__agency"),
        slug=slug,
        case_study__is_published=True,
    )
    return render(request, "cases/lesson_detail.html", {"lesson": lesson})


@require_GET
def agency_detail(request, pk):
    agency = get_object_or_404(Agency.objects.select_related("parent", "province"), pk=pk)
    cases = CaseStudy.objects.published().filter(agency=agency).order_by("-year_be", "title")
    if not cases.exists() and not agency.children.exists():
        raise Http404
    awards = cases.exclude(award_level="").values("year_be", "award_level").annotate(n=Count("pk"))
    awards = sorted(awards, key=lambda a: (-a["year_be"], levels.rank(a["award_level"])))
    # A page at a time, as the lists: at 100,000 cases one agency had 4,128 on one page.
    page = Paginator(cases.values_list("pk", flat=True), listing.PER_PAGE).get_page(
        _page_number(request)
    )
    return render(
        request,
        "cases/agency_detail.html",
        {
            "agency": agency,
            "page": page,
            "cards": fragments.case_cards(page.object_list),
            "awards": [
                {**a, "label": levels.label(a["award_level"], a["year_be"])} for a in awards
            ],
        },
    )


@require_GET
def cycle_results(request, year):
    cases = listing.case_cards().filter(year_be=year, award_level__in=levels.award_codes())
    if not cases.exists():
        raise Http404
    groups = {}
    for case in sorted(
        cases,
        key=lambda c: (
            (c.branch.order, c.branch.code) if c.branch else (1 << 15, ""),
            (c.category.order, c.category.name_th) if c.category else (1 << 15, ""),
            levels.rank(c.award_level),
            c.title,
        ),
    ):
        groups.setdefault(case.branch, []).append(case)
    years = (
        CaseStudy.objects.published()
        .values_list("year_be", flat=True)
        .distinct()
        .order_by("-year_be")
    )
    return render(
        request,
        "cases/cycle_results.html",
        {
            "year": year,
            # An imported past winner may have no category (its year's categories are not in
            # the database): a table shows the column only when one of its rows has one.
            "groups": [
                {"branch": branch, "cases": rows, "with_category": any(c.category for c in rows)}
                for branch, rows in groups.items()
            ],
            "years": years,
        },
    )


@require_GET
def results_index(request):
    years = (
        CaseStudy.objects.published()
        .filter(award_level__in=levels.award_codes())
        .values("year_be")
        .annotate(n=Count("pk"))
        .order_by("-year_be")
    )
    return render(request, "cases/results_index.html", {"years": years})


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('cases:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

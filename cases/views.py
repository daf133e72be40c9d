from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from awards.models import Branch

from .models import CaseStudy, Lesson


def home(request):
    latest = (
        CaseStudy.objects.published()
        .select_related("agency", "branch")
        .order_by("-published_at", "-year_be")[:6]
    )
    per_branch = (
        Branch.objects.filter(casestudy__is_published=True)
        .annotate(cases=Count("casestudy"))
        .order_by("order")
    )
    return render(
        request,
        "cases/home.html",
        {
            "latest": latest,
            "per_branch": per_branch,
            "case_count": CaseStudy.objects.published().count(),
            "lesson_count": Lesson.objects.published().count(),
        },
    )


def case_detail(request, slug):
    case = get_object_or_404(
        CaseStudy.objects.published().select_related("agency", "branch", "category"), slug=slug
    )
    lessons = case.lessons.published()
    return render(request, "cases/case_detail.html", {"case": case, "lessons": lessons})


def lesson_detail(request, slug):
    lesson = get_object_or_404(
        Lesson.objects.published().select_related("case_study"),
        slug=slug,
        case_study__is_published=True,
    )
    return render(request, "cases/lesson_detail.html", {"lesson": lesson})

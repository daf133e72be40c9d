"""API of the award cycle (registered on portal.api.router).

Public, read-only: branches, cycles, categories, published results.
Signed in (session or token): an official's agency entries — list, create, edit drafts and
submit, through submission.py as the web forms do; an assessor's assignments and their own
score sheets — read, write and submit, through scoring.py and permissions.py as the admin
does. Objects outside the caller's reach are not in the queryset: 404, never 403-by-id."""

import django_filters
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from portal.api.policy import ID_REGEX, IdFilter, OrderingFilter, Pagination, StrictFilterSet
from portal.api.router import router

from . import permissions as rules
from . import scoring, submission
from .models import (
    AssessmentRound,
    Assignment,
    Branch,
    Category,
    Cycle,
    Entry,
    EntryState,
    ScoreSheet,
)
from .serializers import (
    AssignmentSerializer,
    BranchSerializer,
    CategorySerializer,
    CycleSerializer,
    EntrySerializer,
    ResultSerializer,
    ScoreSheetSerializer,
    ScoreSheetWriteSerializer,
    SubmissionRefusalSerializer,
)

# --- Public ------------------------------------------------------------------------------------


class BranchViewSet(viewsets.ReadOnlyModelViewSet):
    """Award branches (สาขา) of รางวัลเลิศรัฐ."""

    queryset = Branch.objects.all()
    serializer_class = BranchSerializer
    lookup_field = "code"
    pagination_class = Pagination


class CycleViewSet(viewsets.ReadOnlyModelViewSet):
    """Award cycles (ปีรางวัล), by Buddhist Era year, with their milestones."""

    lookup_value_regex = "[0-9]{1,4}"

    queryset = Cycle.objects.filter(is_draft=False)  # a copy being adjusted is not public yet
    serializer_class = CycleSerializer
    lookup_field = "year_be"
    pagination_class = Pagination


class CategoryFilter(StrictFilterSet):
    cycle = IdFilter(field_name="cycle__year_be")
    branch = django_filters.CharFilter(field_name="branch__code")

    class Meta:
        model = Category
        fields = ["cycle", "branch"]


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Award categories (ประเภท) of a branch in a cycle. Filter: ?cycle=2568&branch=service."""

    lookup_value_regex = ID_REGEX

    queryset = Category.objects.filter(cycle__is_draft=False).select_related("cycle", "branch")
    serializer_class = CategorySerializer
    filterset_class = CategoryFilter
    pagination_class = Pagination


class ResultFilter(StrictFilterSet):
    cycle = IdFilter(field_name="entry__category__cycle__year_be")
    branch = django_filters.CharFilter(field_name="entry__category__branch__code")
    category = IdFilter(field_name="entry__category_id")
    agency = IdFilter(field_name="entry__agency_id")
    # Levels are data: a code no level has finds nothing (200, empty), as an unknown branch
    # code does; the schema cannot list the codes, so a 400 would refuse schema-valid requests.
    award_level = django_filters.CharFilter(
        field_name="award_level",
        help_text="Award level code (AwardLevel.code, e.g. outstanding, pmqa_advance)",
    )

    class Meta:
        model = rules.Result
        fields = ["cycle", "branch", "category", "agency", "award_level"]


class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Published results: cycles whose results have been announced. Scores stay internal."""

    lookup_value_regex = ID_REGEX

    serializer_class = ResultSerializer
    filterset_class = ResultFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id", "award_level"]
    ordering = ["id"]
    pagination_class = Pagination

    def get_queryset(self):
        return rules.published_results().select_related(
            "entry__category__cycle", "entry__category__branch", "entry__agency"
        )


# --- Officials -----------------------------------------------------------------------------------


def refusal(error: submission.SubmissionError) -> ValidationError:
    """A domain rule's refusal as a 400, with the same Thai (or English) message."""
    body = {"detail": str(error)}
    sections = getattr(error, "sections", None)
    if sections:
        body["sections"] = [section.key for section in sections]
    refused = getattr(error, "errors", None)
    if refused:
        body["answers"] = refused
    return ValidationError(body)


class EntryFilter(StrictFilterSet):
    state = django_filters.ChoiceFilter(choices=EntryState.choices)
    cycle = IdFilter(field_name="category__cycle__year_be")
    category = IdFilter(field_name="category_id")

    class Meta:
        model = Entry
        fields = ["state", "cycle", "category"]


class EntryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """An official's agency entries: list, start a draft in an open category, edit it while
    the cycle accepts changes, submit it. The same rules and messages as the web forms."""

    serializer_class = EntrySerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "public_id"
    filterset_class = EntryFilter
    pagination_class = Pagination

    def get_queryset(self):
        return (
            rules.entries_of_own_agency(self.request.user)
            .select_related("category__cycle", "agency", "form")
            .prefetch_related("attachments")
            .order_by("-created_at")
        )

    def perform_create(self, serializer):
        user = self.request.user
        if not rules.can_start_entry(user):
            raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ของหน่วยงานที่เป็นสมาชิกแล้วจึงสร้างผลงานได้"))
        category = serializer.validated_data["category"]
        try:
            with transaction.atomic():
                entry = submission.create_entry(
                    category,
                    user.agency,
                    by=user,
                    answers=serializer.validated_data.get("eligibility_answers"),
                )
                answers = serializer.answers_of(serializer.validated_data)
                entry = submission.save_answers(entry, answers, by=user)
        except submission.SubmissionError as error:
            raise refusal(error) from error
        serializer.instance = entry

    def perform_update(self, serializer):
        user = self.request.user
        entry = serializer.instance
        reason = submission.editing_refusal(entry)
        if reason:  # submitted, not yet open, or past the deadline
            raise refusal(submission.SubmissionError(reason))
        try:
            answers = serializer.answers_of(serializer.validated_data)
            entry = submission.save_answers(entry, answers, by=user)
        except submission.SubmissionError as error:
            raise refusal(error) from error
        serializer.instance = Entry.objects.get(pk=entry.pk)

    @extend_schema(
        request=None,
        responses={200: EntrySerializer, 400: SubmissionRefusalSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, public_id=None):
        """Submit the entry (deadline and completeness checked by submission.submit)."""
        entry = self.get_object()
        try:
            entry = submission.submit(entry, by=request.user)
        except submission.SubmissionError as error:
            raise refusal(error) from error
        return Response(self.get_serializer(Entry.objects.get(pk=entry.pk)).data)


# --- Assessors -----------------------------------------------------------------------------------


class AssignmentFilter(StrictFilterSet):
    round = django_filters.ChoiceFilter(choices=AssessmentRound.choices)

    class Meta:
        model = Assignment
        fields = ["round"]


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's assignments (an assessor's own, never on a conflicted entry)."""

    lookup_value_regex = ID_REGEX

    serializer_class = AssignmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = AssignmentFilter
    pagination_class = Pagination

    def get_queryset(self):
        user = self.request.user
        return (
            rules.assignments_visible_to(user)
            .filter(assessor_id=user.pk)
            .select_related("entry__category", "entry__agency", "sheet")
            .order_by("-assigned_at", "id")
        )


class ScoreSheetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own score sheets: read them, write scores and comments while a sheet is a
    draft (PATCH), submit a complete one (POST …/submit/)."""

    lookup_value_regex = ID_REGEX

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        return (
            rules.sheets_visible_to(user)
            .filter(assignment__assessor_id=user.pk)
            .select_related("assignment__entry")
            .prefetch_related("scores__criterion")
            .order_by("id")
        )

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ScoreSheetWriteSerializer
        return ScoreSheetSerializer

    @extend_schema(request=ScoreSheetWriteSerializer, responses=ScoreSheetSerializer)
    def partial_update(self, request, *args, **kwargs):
        sheet = self.get_object()
        body = ScoreSheetWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
            if sheet.state == ScoreSheet.State.SUBMITTED:
                raise ValidationError({"detail": _("แบบให้คะแนนนี้ส่งแล้ว")})
            if not rules.can_score(request.user, sheet):
                raise PermissionDenied(_("คุณไม่มีสิทธิ์ให้คะแนนผลงานนี้"))
            scores = {s.criterion_id: s for s in sheet.scores.select_related("criterion")}
            errors = {}
            for index, row in enumerate(body.validated_data.get("scores", [])):
                score = scores.get(row["criterion"])
                if score is None:
                    errors[str(index)] = {"criterion": [_("เกณฑ์นี้ไม่อยู่ในแบบให้คะแนนนี้")]}
                    continue
                if "value" in row:
                    try:
                        scoring.check_score(score.criterion, row["value"])
                    except scoring.ScoringError as error:
                        errors[str(index)] = {"value": [str(error)]}
                        continue
                    score.value = row["value"]
                if "comment" in row:
                    score.comment = row["comment"].strip()
            if errors:
                raise ValidationError({"scores": errors})
            for score in scores.values():
                score._history_user = request.user
                score.save()
            if "overall_comment" in body.validated_data:
                sheet.overall_comment = body.validated_data["overall_comment"]
                sheet._history_user = request.user
                sheet.save(update_fields=["overall_comment"])
        return Response(ScoreSheetSerializer(self._fresh(sheet), context={"request": request}).data)

    def _fresh(self, sheet):
        return self.get_queryset().get(pk=sheet.pk)

    @extend_schema(
        request=None, responses={200: ScoreSheetSerializer, 400: SubmissionRefusalSerializer}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a complete sheet (every criterion scored, with a comment)."""
        sheet = self.get_object()
        try:
            scoring.submit_sheet(sheet, by=request.user)
        except scoring.ScoringError as error:
            raise ValidationError({"detail": str(error)}) from error
        return Response(ScoreSheetSerializer(self._fresh(sheet), context={"request": request}).data)


router.register("branches", BranchViewSet, basename="branch")
router.register("cycles", CycleViewSet, basename="cycle")
router.register("categories", CategoryViewSet, basename="category")
router.register("results", ResultViewSet, basename="result")
router.register("entries", EntryViewSet, basename="entry")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("score-sheets", ScoreSheetViewSet, basename="scoresheet")

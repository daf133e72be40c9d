"""Serializers of the award cycle's API. They shape and check input; the rules (deadlines,
completeness, who may score) are in submission.py, scoring.py and permissions.py."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.agencies.serializers import AgencyRefSerializer

from . import answers, eligibility, levels, scoring, submission
from .models import (
    Assignment,
    AwardLevel,
    Branch,
    Category,
    Criterion,
    Cycle,
    EligibilityQuestion,
    Entry,
    EntryForm,
    QuestionKind,
    Result,
    Score,
    ScoreSheet,
)

# --- Public ------------------------------------------------------------------------------------


class BranchSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="branch-detail", lookup_field="code")

    class Meta:
        model = Branch
        fields = ["url", "code", "name_th", "name_en", "description", "order"]


class CycleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="cycle-detail", lookup_field="year_be")
    year_ce = serializers.IntegerField(read_only=True)
    is_open_for_entries = serializers.SerializerMethodField()

    class Meta:
        model = Cycle
        fields = [
            "url", "year_be", "year_ce", "title", "briefing_on", "applications_open_at",
            "applications_close_at", "screening_starts_on", "site_visits_start_on",
            "site_visits_end_on", "decision_on", "announcement_on", "ceremony_on",
            "results_published_at", "is_open_for_entries",
        ]  # fmt: skip

    def get_is_open_for_entries(self, cycle) -> bool:
        return cycle.is_open_for_entries()


class AwardLevelSerializer(serializers.ModelSerializer):
    """A level the committee may decide in the category (highest first): `code` is what
    results, case studies and open data carry."""

    class Meta:
        model = AwardLevel
        fields = ["code", "name_th", "name_en", "kind", "rank"]


class EligibilityQuestionSerializer(serializers.ModelSerializer):
    """Answer each with its id in `eligibility_answers` when creating an entry."""

    class Meta:
        model = EligibilityQuestion
        fields = ["id", "text_th", "text_en"]


class CategorySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="category-detail")
    cycle = serializers.SlugRelatedField(slug_field="year_be", read_only=True)
    cycle_url = serializers.HyperlinkedRelatedField(
        source="cycle", view_name="cycle-detail", lookup_field="year_be", read_only=True
    )
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    branch_url = serializers.HyperlinkedRelatedField(
        source="branch", view_name="branch-detail", lookup_field="code", read_only=True
    )
    award_levels = serializers.SerializerMethodField()
    eligibility_questions = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = [
            "id", "url", "cycle", "cycle_url", "branch", "branch_url", "code", "name_th",
            "name_en", "description", "order", "award_levels", "eligibility_questions",
        ]  # fmt: skip

    @extend_schema_field(AwardLevelSerializer(many=True))
    def get_award_levels(self, category):
        return AwardLevelSerializer(levels.levels_for(category), many=True).data

    @extend_schema_field(EligibilityQuestionSerializer(many=True))
    def get_eligibility_questions(self, category):
        return EligibilityQuestionSerializer(eligibility.questions(category), many=True).data


class ResultSerializer(serializers.ModelSerializer):
    """A published result: which entry of which agency received which award."""

    url = serializers.HyperlinkedIdentityField(view_name="result-detail")
    cycle = serializers.IntegerField(source="entry.category.cycle.year_be", read_only=True)
    category = serializers.IntegerField(source="entry.category_id", read_only=True)
    category_name = serializers.CharField(source="entry.category.display_name", read_only=True)
    category_url = serializers.HyperlinkedRelatedField(
        source="entry.category", view_name="category-detail", read_only=True
    )
    branch = serializers.CharField(source="entry.category.branch.code", read_only=True)
    reference = serializers.CharField(source="entry.reference", read_only=True)
    title = serializers.CharField(source="entry.title", read_only=True)
    agency = AgencyRefSerializer(source="entry.agency", read_only=True)
    award_level_label = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(
        source="entry.category.cycle.results_published_at", read_only=True
    )

    def get_award_level_label(self, result) -> str:
        return levels.label_of(result)

    class Meta:
        model = Result
        fields = [
            "id", "url", "cycle", "category", "category_name", "category_url", "branch",
            "reference", "title", "agency", "award_level",
            "award_level_label", "published_at",
        ]  # fmt: skip


# --- Officials: their agency's entries --------------------------------------------------------


class OptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


INDICATOR_ROW = {
    "type": "object",
    "properties": {column: {"type": "string"} for column in answers.INDICATOR_COLUMNS},
    "required": ["name"],
}
# An answer's JSON by its question's kind: text, number (a decimal string), date (ISO), one
# choice (its code) → string; several choices or file names → strings; yes/no → boolean;
# indicators → rows. null when unanswered.
ANSWER_VALUE = {
    "oneOf": [
        {"type": "string", "nullable": True},  # null (unanswered) matches this one only
        {"type": "boolean"},
        {"type": "array", "items": {"type": "string"}},
        {"type": "array", "items": INDICATOR_ROW},
    ],
}
# A question's kind in the API: the form's kinds, and "title" for the entry's title.
ANSWER_KINDS = [("title", "title"), *QuestionKind.choices]


@extend_schema_field(ANSWER_VALUE)
class AnswerValueField(serializers.JSONField):
    """Any JSON answer, null (clearing it) included; answers.clean decides what it may be."""

    def validate_empty_values(self, data):
        if data is None:
            return True, None
        return super().validate_empty_values(data)


class QuestionAnswerSerializer(serializers.Serializer):
    """A question of the entry's form version and the entry's answer to it."""

    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=ANSWER_KINDS)
    required = serializers.BooleanField()
    help = serializers.CharField()
    max_length = serializers.IntegerField(allow_null=True)
    options = OptionSerializer(many=True)
    multiple = serializers.BooleanField()
    value = AnswerValueField()
    text = serializers.CharField(help_text="The answer as a reader sees it.")


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[
            submission.SectionStatus.NOT_STARTED,
            submission.SectionStatus.IN_PROGRESS,
            submission.SectionStatus.COMPLETED,
        ]
    )
    questions = QuestionAnswerSerializer(many=True)


def answered_sections(entry) -> list[dict]:
    """submission.answer_sheet as the API's plain data."""
    rows = []
    for row in submission.answer_sheet(entry):
        questions = []
        for item in row["answers"]:
            question = item["question"]
            value = item["value"]
            if item["kind"] == QuestionKind.ATTACHMENTS:
                value = item["shown"]
                text = ", ".join(value or [])
            else:
                text = entry.title if question is None else answers.as_text(question, value)
            questions.append(
                {
                    "code": item["code"],
                    "label": str(item["label"]),
                    "kind": item["kind"],
                    "required": True if question is None else question.required,
                    "help": "" if question is None else question.display_help,
                    "max_length": answers.TITLE_MAX_LENGTH
                    if question is None
                    else answers.max_length(question),
                    "options": [
                        {"code": code, "name": name}
                        for code, name in (question.choices if question else [])
                    ],
                    "multiple": bool(question and question.multiple),
                    "value": value,
                    "text": text or "",
                }
            )
        rows.append(
            {
                "key": row["section"].key,
                "title": row["section"].title,
                "status": row["status"],
                "questions": questions,
            }
        )
    return rows


class FormVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EntryForm
        fields = ["id", "version", "name", "locked_at"]


class EntrySerializer(serializers.ModelSerializer):
    """An entry as its agency's officials see and write it: its form version's sections, each
    question with the entry's answer. Writes go through submission.create_entry /
    save_answers (the web form's rules); submitting is POST …/submit/ (submission.submit)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="entry-detail", lookup_field="public_id")
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    agency = AgencyRefSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=answers.TITLE_MAX_LENGTH
    )
    form = FormVersionSerializer(read_only=True)
    answers = serializers.DictField(
        child=AnswerValueField(),
        required=False,
        write_only=True,
        help_text="Answers by question code (see sections[].questions[]); null clears one.",
    )
    sections = serializers.SerializerMethodField()
    editable = serializers.SerializerMethodField()
    eligibility_answers = serializers.DictField(
        child=serializers.BooleanField(),
        write_only=True,
        required=False,
        help_text="On creation: the category's eligibility questions answered, "
        "{question id: true (yes) / false (no)}",
    )

    class Meta:
        model = Entry
        fields = [
            "id", "url", "reference", "category", "agency", "state", "state_label", "title",
            "form", "answers", "created_at", "updated_at", "submitted_at", "sections",
            "editable", "eligibility_answers",
        ]  # fmt: skip
        read_only_fields = ["reference", "state", "created_at", "updated_at", "submitted_at"]

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, entry):
        return answered_sections(entry)

    def get_editable(self, entry) -> bool:
        return submission.is_editable(entry)

    def validate_eligibility_answers(self, answers):
        if any(not key.isdigit() or len(key) > 9 for key in answers):
            raise serializers.ValidationError(_("ระบุคำตอบด้วยรหัสคำถาม (ตัวเลข)"))
        return {int(key): value for key, value in answers.items()}

    def validate_category(self, category):
        if self.instance is not None and category.pk != self.instance.category_id:
            raise serializers.ValidationError(_("เปลี่ยนประเภทรางวัลของผลงานที่สร้างแล้วไม่ได้"))
        return category

    def answers_of(self, data: dict) -> dict:
        """The validated answers and title: save_answers' input."""
        values = dict(data.get("answers", {}))
        if "title" in data:
            values["title"] = data["title"]
        return values


# --- Assessors: assignments and their own score sheets -----------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "order", "title_th", "title_en", "guidance", "weight", "max_score"]


class ScoreSerializer(serializers.ModelSerializer):
    criterion = CriterionSerializer(read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "value", "comment"]


class AssignedEntrySerializer(serializers.ModelSerializer):
    """What an assessor reads of the entry they score: its answers with their questions."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    category = serializers.CharField(source="category.display_name", read_only=True)
    agency = AgencyRefSerializer(read_only=True)
    sections = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = ["id", "reference", "title", "category", "agency", "sections"]

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, entry):
        return answered_sections(entry)


class AssignmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="assignment-detail")
    round_label = serializers.CharField(source="get_round_display", read_only=True)
    entry = AssignedEntrySerializer(read_only=True)
    sheet = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "url", "round", "round_label", "entry", "assigned_at", "sheet"]

    def get_sheet(self, assignment) -> int | None:
        sheet = getattr(assignment, "sheet", None)
        return sheet.pk if sheet else None


class ScoreSheetSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="scoresheet-detail")
    assignment = serializers.PrimaryKeyRelatedField(read_only=True)
    round = serializers.CharField(source="assignment.round", read_only=True)
    entry_reference = serializers.CharField(source="assignment.entry.reference", read_only=True)
    entry_title = serializers.CharField(source="assignment.entry.title", read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)
    total = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = ScoreSheet
        fields = [
            "id", "url", "assignment", "round", "entry_reference", "entry_title", "state",
            "state_label", "overall_comment", "submitted_at", "total", "scores",
        ]  # fmt: skip
        read_only_fields = ["state", "submitted_at"]

    @extend_schema_field(serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True))
    def get_total(self, sheet):
        total = scoring.sheet_total(sheet)
        return None if total is None else f"{total:.2f}"


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1)
    value = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, allow_null=True, required=False
    )
    comment = serializers.CharField(allow_blank=True, required=False, max_length=5000)


class ScoreSheetWriteSerializer(serializers.Serializer):
    """PATCH body of a score sheet: the overall comment and any of the criteria's scores."""

    overall_comment = serializers.CharField(allow_blank=True, required=False, max_length=10000)
    scores = ScoreInputSerializer(many=True, required=False)

    def validate_scores(self, rows):
        seen = set()
        for row in rows:
            if row["criterion"] in seen:
                raise serializers.ValidationError(_("ระบุเกณฑ์เดียวกันซ้ำ"))
            seen.add(row["criterion"])
        return rows


class SubmissionRefusalSerializer(serializers.Serializer):
    """A rule refused the action (HTTP 400): the message, for an incomplete entry the
    sections still to complete, for refused answers a message per question code."""

    detail = serializers.CharField()
    sections = serializers.ListField(child=serializers.CharField(), required=False)
    answers = serializers.DictField(child=serializers.CharField(), required=False)

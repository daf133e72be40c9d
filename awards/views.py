"""The officials' pages: their agency's entries, starting an entry, the task list, one page per
section, attachments, check your answers, submit, confirmation, status and withdrawal.

Thin: which entries a user reaches is decided in permissions.py (querysets), what may happen
to them in submission.py / attachments.py."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.privacy.audit import AuditAction, record_access

from . import attachments, feedback, permissions, similar_work, site_visit_calendar, submission
from .forms import AttachmentForm, ReopenForm, SectionForm, StartEntryForm, WithdrawForm
from .models import Attachment, Entry, EntryState, QuestionKind


def _posted(request, files=False) -> tuple:
    """The form's data on POST (bound even when empty), nothing on GET."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _own_entry(request, public_id, *prefetch) -> Entry:
    """The entry if it belongs to the user's agency; 404 otherwise (never a hint it exists)."""
    return get_object_or_404(
        permissions.entries_of_own_agency(request.user)
        .select_related("category__cycle", "category__branch", "agency", "form")
        .prefetch_related(*prefetch),
        public_id=public_id,
    )


def _refuse_if_locked(request, entry):
    refusal = submission.editing_refusal(entry)
    if refusal:
        messages.error(request, refusal)
        return redirect("awards:entry", public_id=entry.public_id)
    return None


def _task_context(entry):
    statuses = submission.section_statuses(entry)
    return {
        "entry": entry,
        "statuses": statuses,
        "labels": submission.SectionStatus.LABELS,
        "completed": sum(1 for _s, status in statuses if status == "completed"),
        "editing_refusal": submission.editing_refusal(entry),
        "deadline": submission.deadline(entry),
    }


@login_required
def dashboard(request):
    user = request.user
    entries = (
        permissions.entries_of_own_agency(user)
        .select_related("category__cycle", "category__branch")
        .order_by("-category__cycle__year_be", "-created_at")
    )
    rows = [(entry, submission.next_milestone(entry)) for entry in entries]
    open_cycles = {}
    for category in submission.open_categories():
        open_cycles.setdefault(category.cycle, 0)
        open_cycles[category.cycle] += 1
    from portal.accounts.membership import requests_decidable_by

    return render(
        request,
        "awards/dashboard.html",
        {
            "rows": rows,
            "open_cycles": open_cycles,
            "has_agency": bool(user.agency_id),
            "pending_requests": requests_decidable_by(user).count(),
        },
    )


@login_required
def start(request):
    if not permissions.can_start_entry(request.user):
        messages.error(request, _("ขอเข้าร่วมหน่วยงานและรอการอนุมัติก่อน จึงจะสร้างผลงานได้"))
        return redirect("portal:membership")
    form = StartEntryForm(*_posted(request), initial={"token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid() and form.asks_eligibility():
        # The category is chosen: its eligibility questions next, on the same page.
        category = form.cleaned_data["category"]
        initial = {"token": form.cleaned_data["token"], "category": category, "step": "eligibility"}
        form = StartEntryForm(initial=initial, category=category)
    elif request.method == "POST" and form.is_valid():
        try:
            entry = submission.create_entry(
                form.cleaned_data["category"],
                request.user.agency,
                request.user,
                public_id=form.cleaned_data["token"],
                answers=form.answers,
            )
        except submission.NoSuchEntry as error:  # another agency's: as if it did not exist
            raise Http404 from error
        except submission.NotEligible as error:
            for reason in error.reasons:
                form.add_error(None, reason)
        except submission.SubmissionError as error:
            form.add_error(None, str(error))
        else:
            return redirect("awards:entry", public_id=entry.public_id)
    return render(request, "awards/start.html", {"form": form})


@login_required
def entry_detail(request, public_id):
    """A draft's task list, or a submitted entry's status and history."""
    entry = _own_entry(request, public_id)
    context = _task_context(entry)
    context["history"] = entry.state_changes.select_related("changed_by")
    context["withdrawal_refusal"] = submission.withdrawal_refusal(entry)
    context["milestone"] = submission.next_milestone(entry)
    released = feedback.released_to_agency(entry)
    context["feedback"] = released
    context["feedback_points"] = feedback.points_for_agency(released) if released else []
    context["site_visits"] = site_visit_calendar.visits_for_agency(entry)
    # Read by the draft's page only.
    context["similar_work"] = lambda: similar_work.similar_to(entry, request.user)
    template = "awards/task_list.html" if entry.state == EntryState.DRAFT else "awards/status.html"
    return render(request, template, context)


@login_required
def section(request, public_id, key):
    entry = _own_entry(request, public_id)
    section = submission.section_by_key(entry, key)
    if section is None:
        raise Http404
    questions = section.question_list
    if questions and all(q.kind == QuestionKind.ATTACHMENTS for q in questions):
        return redirect(_attachments_url(request, entry, questions[0].code))
    refused = _refuse_if_locked(request, entry)
    if refused:
        return refused
    form = SectionForm(entry, section, *_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            submission.save_section(entry, key, form.values(), request.user)
        except submission.InvalidAnswers as error:
            form.show_refusal(error)
        except submission.SubmissionError as error:
            form.add_error(None, str(error))
        else:
            return _after_save(request, entry, key)
    files = {}
    for attachment in entry.attachments.all():
        files.setdefault(attachment.question, []).append(attachment)
    return render(
        request,
        "awards/section.html",
        {
            "entry": entry,
            "form": form,
            "section": section,
            "file_questions": [(q, files.get(q.code, [])) for q in form.file_questions],
            "return_to_check": request.GET.get("from") == "check",
        },
    )


def _after_save(request, entry, key):
    """ "Save and continue" goes to the next section; "save and come back later" to the task
    list; a change made from the check-your-answers page goes back there."""
    if request.GET.get("from") == "check":
        return redirect("awards:check", public_id=entry.public_id)
    if request.POST.get("action") == "later":
        messages.success(request, _("บันทึกแล้ว กลับมาทำต่อได้ทุกเมื่อก่อนปิดรับสมัคร"))
        return redirect("awards:entry", public_id=entry.public_id)
    following = submission.next_section(entry, key)
    if following is None:
        return redirect("awards:check", public_id=entry.public_id)
    return redirect("awards:section", public_id=entry.public_id, key=following.key)


@login_required
def attachment_list(request, public_id):
    """The files answering one attachments question (?question=code; the form's first if not
    named)."""
    entry = _own_entry(request, public_id)
    question = attachments.attachments_question(entry, request.GET.get("question"))
    if question is None:
        raise Http404
    editable = submission.is_editable(entry)
    form = AttachmentForm(*_posted(request, files=True), question=question)
    if request.method == "POST":
        refused = _refuse_if_locked(request, entry)
        if refused:
            return refused
        if form.is_valid():
            try:
                attachments.add_attachment(
                    entry,
                    form.cleaned_data["file"],
                    request.user,
                    form.cleaned_data["description"],
                    question=question.code,
                    is_public=form.cleaned_data["is_public"],
                )
            except attachments.AttachmentError as error:
                form.add_error("file", str(error))
            else:
                messages.success(
                    request,
                    _("แนบไฟล์ “%(name)s” แล้ว") % {"name": form.cleaned_data["file"].name},
                )
                return redirect(_attachments_url(request, entry, question.code))
    section = next(s for s in submission.sections(entry.form) if s.pk == question.section_id)
    return render(
        request,
        "awards/attachments.html",
        {
            "entry": entry,
            "form": form,
            "files": entry.attachments.filter(question=question.code).select_related("uploaded_by"),
            "editable": editable,
            "question": question,
            "section": section,
            "return_to_check": request.GET.get("from") == "check",
            "next_section": submission.next_section(entry, section.key),
        },
    )


def _attachments_url(request, entry, question: str):
    url = reverse("awards:attachments", kwargs={"public_id": entry.public_id})
    query = {"question": question}
    if request.GET.get("from") == "check":
        query["from"] = "check"
    return f"{url}?{urlencode(query)}"


@login_required
@require_POST
def attachment_delete(request, public_id, pk):
    entry = _own_entry(request, public_id)
    attachment = get_object_or_404(entry.attachments, pk=pk)
    try:
        attachments.remove_attachment(attachment, request.user)
    except attachments.AttachmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("ลบไฟล์ “%(name)s” แล้ว") % {"name": attachment.original_name})
    return redirect(_attachments_url(request, entry, attachment.question))


@login_required
def attachment_download(request, public_id, pk):
    """The agency's officials, assigned (not conflicted) assessors and staff; 404 for others,
    and the refused attempt on an existing file goes into the audit log."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("entry"), entry__public_id=public_id, pk=pk
    )
    if not permissions.can_download_attachment(request.user, attachment.entry):
        record_access(request.user, attachment, AuditAction.DENIED, request)
        raise Http404
    record_access(request.user, attachment, AuditAction.DOWNLOAD, request)
    return private_file_response(attachment)


def private_file_response(stored) -> FileResponse:
    """A private file (a StoredFile row) as a download, after the caller checked who asks:
    never shown inline, never cached."""
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def check_answers(request, public_id):
    entry = _own_entry(request, public_id, "attachments")
    if entry.state != EntryState.DRAFT:
        return redirect("awards:entry", public_id=public_id)
    context = _task_context(entry)
    context["answers"] = submission.answer_sheet(entry)
    context["missing"] = submission.incomplete_sections(entry)
    return render(request, "awards/check.html", context)


@login_required
@require_POST
def submit(request, public_id):
    entry = _own_entry(request, public_id)
    try:
        entry = submission.submit(entry, request.user)
    except submission.SubmissionError as error:
        context = _task_context(entry)
        context["answers"] = submission.answer_sheet(entry)
        context["missing"] = getattr(error, "sections", [])
        context["submit_error"] = str(error)
        return render(request, "awards/check.html", context)
    return redirect("awards:confirmation", public_id=entry.public_id)


@login_required
def confirmation(request, public_id):
    entry = _own_entry(request, public_id)
    if entry.state == EntryState.DRAFT or entry.reference is None:
        return redirect("awards:entry", public_id=public_id)
    return render(request, "awards/confirmation.html", {"entry": entry})


@login_required
def withdraw(request, public_id):
    entry = _own_entry(request, public_id)
    refusal = submission.withdrawal_refusal(entry)
    if refusal:
        messages.error(request, refusal)
        return redirect("awards:entry", public_id=public_id)
    form = WithdrawForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            submission.withdraw(entry, request.user, note=form.cleaned_data["note"])
        except submission.SubmissionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("ถอนใบสมัครแล้ว"))
            return redirect("awards:entry", public_id=public_id)
    return render(request, "awards/withdraw.html", {"entry": entry, "form": form})


@login_required
def reopen(request, public_id):
    """Staff (the secretariat) reopen a submitted entry for the agency to change; the admin's
    entry page links here. Officials, assessors and anonymous visitors get a 404."""
    if not permissions.is_secretariat(request.user):
        raise Http404
    entry = get_object_or_404(
        Entry.objects.select_related("category__cycle", "agency"), public_id=public_id
    )
    form = ReopenForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            submission.reopen(
                entry, request.user, form.cleaned_data["until"], form.cleaned_data["note"]
            )
        except submission.SubmissionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("เปิดให้หน่วยงานแก้ไขผลงานแล้ว"))
            return redirect("admin:awards_entry_change", entry.pk)
    return render(request, "awards/reopen.html", {"entry": entry, "form": form})


@login_required
def site_visit_ics(request, public_id, pk):
    """The agency's own site visit as a calendar file; another agency's is a 404."""
    visit = site_visit_calendar.agency_visit(request.user, public_id, pk)
    if visit is None:
        raise Http404
    response = HttpResponse(site_visit_calendar.ics(visit), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="site-visit-{visit.pk}.ics"'
    return response

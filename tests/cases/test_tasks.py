import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cases import search, tasks
from cases.models import CaseStudy, Lesson, SearchDocument
from tests.conftest import wait_until
from tests.factories import CaseStudyFactory, LessonFactory

pytestmark = pytest.mark.django_db


def hits(text):
    return [d.case_study_id for d in search.search_cases(search.parse(text))]


def test_saving_enqueues_indexing_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = CaseStudyFactory(title="ห้องสมุดชุมชนเคลื่อนที่")
    assert not SearchDocument.objects.exists()  # nothing before the commit
    assert callbacks
    for callback in callbacks:
        callback()
    assert hits("ห้องสมุด") == [case.pk]
    with django_capture_on_commit_callbacks(execute=True):
        lesson = LessonFactory(case_study=case, title="บทเรียนจากห้องสมุดชุมชน")
    assert SearchDocument.objects.filter(lesson=lesson).exists()


def test_indexing_is_idempotent():
    case = CaseStudyFactory(title="ห้องสมุดชุมชน")
    LessonFactory(case_study=case)
    for _ in range(3):
        tasks.index_case_study(case.pk)
    assert SearchDocument.objects.filter(case_study=case).count() == 2
    assert tasks.index_case_study(999999) == "removed"  # a deleted case: nothing to do
    assert tasks.index_lesson(999999) == "removed"


def test_periodic_repair_heals_a_lost_message():
    case = CaseStudyFactory(title="ห้องสมุดชุมชน")
    lesson = LessonFactory(case_study=case, title="บทเรียนห้องสมุด")
    tasks.index_case_study(case.pk)
    # The edits' messages are lost: queryset.update sends no signal and no task runs.
    later = timezone.now() + timezone.timedelta(seconds=5)
    CaseStudy.objects.filter(pk=case.pk).update(title="สวนสาธารณะชุมชน", updated_at=later)
    Lesson.objects.filter(pk=lesson.pk).update(title="บทเรียนสวนสาธารณะ", updated_at=later)
    never_indexed = CaseStudyFactory(title="ตลาดนัดชุมชน")
    unpublished = CaseStudyFactory(title="โรงเรียนผู้สูงอายุ")
    tasks.index_case_study(unpublished.pk)
    CaseStudy.objects.filter(pk=unpublished.pk).update(is_published=False)
    assert hits("ห้องสมุด") == [case.pk] and hits("สวนสาธารณะ") == []
    assert set(search.stale_cases()) == {case.pk, never_indexed.pk, unpublished.pk}

    result = tasks.repair_search_index()

    assert result["cases"] == 3
    assert hits("ห้องสมุด") == [] and hits("สวนสาธารณะ") == [case.pk]
    assert hits("ตลาดนัด") == [never_indexed.pk] and hits("ผู้สูงอายุ") == []
    assert search.search_lessons(search.parse("สวนสาธารณะ")).get().lesson_id == lesson.pk
    assert not list(search.stale_cases()) and not list(search.stale_lessons())
    assert tasks.repair_search_index()["cases"] == 0  # nothing left to do


def test_repair_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["cases-repair-search-index"]
    assert entry["task"] == "cases.tasks.repair_search_index"


def test_rebuild_command_indexes_everything(capsys):
    cases = CaseStudyFactory.create_batch(3, title="ห้องสมุดชุมชน")
    LessonFactory(case_study=cases[0])
    hidden = CaseStudyFactory(title="ห้องสมุดลับ", is_published=False, published_at=None)
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--batch", "2", "--no-progress")
    assert "Indexed 3 case studies (4 rows)" in capsys.readouterr().out
    assert sorted(hits("ห้องสมุด")) == sorted(c.pk for c in cases)
    assert hidden.pk not in hits("ห้องสมุด")


def test_batches_are_written_as_the_next_ones_words_are_worked_out(monkeypatch):
    """A rebuild in one process works out a batch's words in a second thread while the last
    batch is written: each batch written in turn, and a failure working out a batch's words
    reaches the caller, the batches before it written."""
    from cases.search import indexing

    first, second, third = (CaseStudyFactory(title=f"ห้องสมุดชุมชนแห่งที่ {n}") for n in range(3))
    SearchDocument.objects.all().delete()
    rows_of = indexing._rows_of

    def failing_on_the_third(sources, d):
        if any(case.pk == third.pk for _kind, case, *_rest in sources):
            raise RuntimeError("the segmenter failed")
        return rows_of(sources, d)

    monkeypatch.setattr(indexing, "_rows_of", failing_on_the_third)
    written = []
    with pytest.raises(RuntimeError, match="the segmenter failed"):
        for batch in search.index_cases_in_batches([[first.pk], [second.pk], [third.pk]]):
            written.append(batch)
    assert written == [(1, 1), (1, 1)]
    assert sorted(hits("ห้องสมุด")) == sorted([first.pk, second.pk])


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_indexes_a_saved_case(celery_worker_process):
    case = CaseStudyFactory(title="ธนาคารขยะรีไซเคิลของโรงเรียน")
    assert wait_until(lambda: hits("ขยะ") == [case.pk], timeout=60)
    case.title = "ธนาคารต้นไม้ของโรงเรียน"
    case.save()
    assert wait_until(lambda: hits("ต้นไม้") == [case.pk] and not hits("ขยะ"), timeout=60)

import pytest

from awards.models import EntryState
from awards.submission import SubmissionError, change_state, mark_submitted
from tests.factories import CategoryFactory, EntryFactory

pytestmark = pytest.mark.django_db


def test_references_count_up_per_cycle():
    category = CategoryFactory()
    first = mark_submitted(EntryFactory(category=category), by=None)
    second = mark_submitted(EntryFactory(category=category), by=None)
    assert (first.reference, second.reference) == ("LR-2570-000001", "LR-2570-000002")


def test_every_state_change_is_recorded():
    entry = mark_submitted(EntryFactory(), by=None)
    change_state(entry, EntryState.SCREENING, by=None, note="เริ่มกลั่นกรอง")
    assert list(entry.state_changes.values_list("from_state", "to_state")) == [
        ("draft", "submitted"),
        ("submitted", "screening"),
    ]


def test_a_transition_the_rules_do_not_allow_is_refused():
    entry = EntryFactory()
    with pytest.raises(SubmissionError):
        change_state(entry, EntryState.AWARDED, by=None)
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT
    assert not entry.state_changes.exists()

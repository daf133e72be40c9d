"""PostgreSQL's trigram function (cases/0011) builds exactly the lexemes and positions the
sub-word layer's phrases are looked up by — on Thai with marks, spaces and short texts."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's function"),
]


def same_as_by_hand(text: str) -> bool:
    """Every three-character run at its 1-based position, written out here and read by
    PostgreSQL's own tsvector parser (which applies its limits the same way)."""
    by_hand = " ".join(f"'{text[i : i + 3]}':{min(i + 1, 16383)}" for i in range(len(text) - 2))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cases_search_grams(%s, 'C') = setweight(%s::tsvector, 'C')", [text, by_hand]
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    "text",
    ["", "ab", "abc", "ลำพูน", "ศูนย์บริการ ประชาชน QR Code", "น้ำใจ" * 4000],
    ids=["empty", "two", "three", "marks", "spaces", "past-the-position-limit"],
)
def test_every_trigram_at_its_position(text):
    assert same_as_by_hand(text)

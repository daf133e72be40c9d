import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from portal import thai


def test_full_buddhist_era_date_with_thai_month():
    assert thai.format_date(datetime.date(2026, 11, 21), language="th") == "21 พฤศจิกายน 2569"


def test_short_form():
    assert thai.format_date(datetime.date(2026, 11, 21), short=True, language="th") == "21 พ.ย. 69"


def test_datetime_is_shown_in_bangkok_time():
    # 20:30 UTC on 21 Nov is already 22 Nov, 03:30 in Bangkok.
    value = datetime.datetime(2026, 11, 21, 20, 30, tzinfo=datetime.UTC)
    assert (
        thai.format_date(value, with_time=True, language="th") == "22 พฤศจิกายน 2569 เวลา 03:30 น."
    )


def test_english_keeps_the_common_era():
    assert thai.format_date(datetime.date(2026, 11, 21), language="en") == "21 November 2026"


@pytest.mark.parametrize(
    "day, fiscal_year",
    [(datetime.date(2026, 9, 30), 2569), (datetime.date(2026, 10, 1), 2570)],
)
def test_fiscal_year_runs_october_to_september(day, fiscal_year):
    assert thai.fiscal_year_be(day) == fiscal_year


def test_template_filter_is_the_one_formatter():
    template = Template('{{ d|be_date }} / {{ d|be_date:"short" }} / {{ 2569|thai_digits }}')
    with translation.override("th"):
        rendered = template.render(Context({"d": datetime.date(2026, 11, 21)}))
    assert rendered == "21 พฤศจิกายน 2569 / 21 พ.ย. 69 / ๒๕๖๙"


def test_empty_date_renders_nothing():
    assert Template("{{ d|be_date }}").render(Context({"d": None})) == ""


def test_segmentation_keeps_domain_words_and_mixed_script():
    words = thai.segment("สำนักงาน ก.พ.ร. มอบรางวัลเลิศรัฐ PMQA 4.0")
    assert "ก.พ.ร." in words
    assert "PMQA" in words and "4.0" in words
    assert " " not in words


def test_normalisation_fixes_non_standard_spelling():
    # "เเ" (two sara e) is a common mistyping of "แ".
    assert thai.normalize("เเม่") == "แม่"


def test_today_in_context_is_local_date(client, db):
    response = client.get("/")
    assert response.context["today"] == timezone.localdate()


def test_normalize_gives_what_pythainlp_gives_on_random_thai():
    """portal.thai.normalize hands a text no rule would change back as it is (one pass instead
    of some thirty): on random strings of every kind of Thai character, spaces and newlines,
    it gives exactly what pythainlp's normalize gives."""
    import random

    from pythainlp import thai_characters
    from pythainlp.util import normalize as pythainlp_normalize

    alphabet = [*thai_characters, " ", " ", "\n", "\u200b", "a"]
    rng = random.Random(20261207)
    changed = 0
    for _ in range(30_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        expected = pythainlp_normalize(text)
        assert thai.normalize(text) == expected, repr(text)
        changed += expected != text
    assert 5_000 < changed < 25_000  # both kinds of text were tried
    assert thai.normalize("เเปลก") == "แปลก" and thai.normalize("กํา") == "กำ"
    assert thai.normalize("ชุมชนเข้มแข็ง") == "ชุมชนเข้มแข็ง"

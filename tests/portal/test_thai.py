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

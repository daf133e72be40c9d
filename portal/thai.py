"""Thai language helpers shared by every app: Buddhist Era dates, Thai numerals and word
segmentation. Storage stays ISO/UTC; only display converts."""

import datetime
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language

BE_OFFSET = 543

MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_TH_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def to_be_year(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def fiscal_year_be(day: datetime.date) -> int:
    """Thai fiscal year: 1 Oct – 30 Sep, named by the B.E. year it ends in."""
    return to_be_year(day.year + 1 if day.month >= 10 else day.year)


def format_date(value, short: bool = False, with_time: bool = False, language: str | None = None):
    """21 พฤศจิกายน 2569 (or 21 พ.ย. 69 when short); CE with English month names in English."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        time_part = value.strftime("%H:%M") if with_time else ""
        value_date = value.date()
    elif isinstance(value, datetime.date):
        time_part, value_date = "", value
    else:
        return str(value)
    language = (language or get_language() or "th")[:2]
    if language == "th":
        year = to_be_year(value_date.year)
        if short:
            text = f"{value_date.day} {MONTHS_TH_SHORT[value_date.month - 1]} {year % 100:02d}"
        else:
            text = f"{value_date.day} {MONTHS_TH[value_date.month - 1]} {year}"
        return f"{text} เวลา {time_part} น." if time_part else text
    month = MONTHS_EN[value_date.month - 1]
    text = f"{value_date.day} {month[:3] if short else month} {value_date.year}"
    return f"{text}, {time_part}" if time_part else text


def be_stamp(value=None) -> str:
    """A date as a B.E. stamp for file names: 2569-12-06 (today, in Bangkok, by default)."""
    if value is None:
        value = timezone.localdate()
    elif isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{to_be_year(value.year)}-{value.month:02d}-{value.day:02d}"


# --- Django's own date formatting, in Thai with the Buddhist Era ------------------------------
# Everything Django formats by a named format (the admin's lists, change pages and history,
# simple-history's pages, the date hierarchy, `{{ value|date }}`, `{{ value }}`) reads these
# in Thai; a literal format ("Y-m-d", "c": machine-readable) stays Christian-era.
THAI_FORMATS = {
    "DATE_FORMAT": "j F Y",
    "DATETIME_FORMAT": "j F Y เวลา H:i น.",
    "SHORT_DATE_FORMAT": "j M y",
    "SHORT_DATETIME_FORMAT": "j M y H:i น.",
    "YEAR_MONTH_FORMAT": "F Y",
    "MONTH_DAY_FORMAT": "j F",
}


def is_thai(language: str | None = None) -> bool:
    return (language or get_language() or "th")[:2] == "th"


def install_buddhist_era_formats() -> None:
    """Make django.utils.formats.date_format (and so formats.localize, the `date` filter and
    every admin page) write Thai dates with B.E. years when the language is Thai."""
    from django.utils import dateformat, formats

    if getattr(formats.date_format, "buddhist_era", False):
        return

    class BuddhistEraDateFormat(dateformat.DateFormat):
        def Y(self):  # noqa: N802 (Django's format character)
            return str(to_be_year(self.data.year))

        def y(self):
            return f"{to_be_year(self.data.year) % 100:02d}"

    christian_era_date_format = formats.date_format

    def date_format(value, format=None, use_l10n=None):
        name = format or "DATE_FORMAT"
        if name in THAI_FORMATS and is_thai():
            return BuddhistEraDateFormat(value).format(THAI_FORMATS[name])
        return christian_era_date_format(value, format, use_l10n)

    date_format.buddhist_era = True
    formats.date_format = date_format


def be_year_label(value) -> str:
    """A bare CE year shown to a person (the admin's date hierarchy) as its B.E. year."""
    text = str(value)
    if is_thai() and text.isdigit() and len(text) == 4:
        return str(to_be_year(int(text)))
    return text


def thai_digits(value) -> str:
    return str(value).translate(THAI_DIGITS)


# --- Word segmentation ---------------------------------------------------------------------
# Domain words that the general dictionary splits badly (ก.พ.ร. → ก.พ. + ร.). The search
# module extends this with agency names and abbreviations from the database.
DOMAIN_WORDS = frozenset(
    {
        "เลิศรัฐ", "รางวัลเลิศรัฐ", "ก.พ.ร.", "สวพส.", "ถอดบทเรียน",
        "ขยายผล", "ต้นแบบ", "ภาครัฐ", "บริการภาครัฐ", "ผู้ตรวจประเมิน", "ลงพื้นที่",
        "อบต.", "อบจ.", "กทม.", "สปสช.", "สสส.", "พ.ศ.", "โอทอป", "แซนด์บ็อกซ์",
    }
)  # fmt: skip


@lru_cache(maxsize=8)
def _trie(extra_words: frozenset):
    from pythainlp.corpus.common import thai_words
    from pythainlp.util import Trie

    return Trie(set(thai_words()) | DOMAIN_WORDS | extra_words)


def normalize(text: str) -> str:
    """Fix non-standard spellings (อํา as two code points, เเ for แ) before anything else.

    Nearly every text is normal already, and pythainlp's normalize makes some thirty passes
    over it (a fifth of segmenting it): a text in which none of its rules finds anything to
    change is given back as it is, found in one pass."""
    from pythainlp.util import normalize as thai_normalize

    text = text or ""
    return thai_normalize(text) if _not_surely_normal().search(text) else text


@lru_cache(maxsize=1)
def _not_surely_normal():
    """What any rule of pythainlp.util.normalize (5.x) would change, by rule: zero-width
    characters; doubled spaces, a newline beside a space or another, whitespace at either
    end; a space before a non-base character or a non-base character first; a tone mark or
    thanthakhat before an above or below vowel, nikhahit, a follow vowel before a tone mark,
    lakkhangyao; a vowel or sign repeated, spaces between (เเ for แ among them); tone marks
    in a row. A test compares both on random text."""
    import re

    from pythainlp import (
        thai_above_vowels,
        thai_below_vowels,
        thai_follow_vowels,
        thai_lead_vowels,
        thai_tonemarks,
    )

    signs = "\u0e3a\u0e4c\u0e4d\u0e4e"  # phinthu, thanthakhat, nikhahit, yamakkan
    non_base = f"{thai_above_vowels}{thai_below_vowels}{thai_tonemarks}{signs}"
    no_repeat = (
        f"{thai_follow_vowels}{thai_lead_vowels}{thai_above_vowels}{thai_below_vowels}{signs}"
    )
    return re.compile(
        "[\u200b\u200c]|  |[ \n]\n|\n[ \n]|^\\s|\\s$"
        f"| [{non_base}]|^[{non_base}]"
        f"|[{thai_tonemarks}\u0e4c][{thai_above_vowels}{thai_below_vowels}]"
        f"|\u0e4d|[{thai_follow_vowels}][{thai_tonemarks}]|\u0e45"
        f"|([{no_repeat}]) *\\1|[{thai_tonemarks}]{{2}}"
    )


def segment(
    text: str,
    extra_words: frozenset = frozenset(),
    keep_whitespace: bool = False,
    normalized: bool = False,
) -> list[str]:
    """Split Thai (mixed with Latin and digits) into words, dropping whitespace unless asked
    (with it, the words joined give back the normalised text: snippets cut on them).
    `normalized`: the caller has normalised the text already (the indexer, which reads it
    twice).

    The dictionary trie is built once per process and per word set (lru_cache)."""
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(
        text if normalized else normalize(text),
        custom_dict=_trie(extra_words),
        engine="newmm",
        keep_whitespace=keep_whitespace,
    )


def dictionary_words() -> frozenset:
    """The general Thai dictionary plus the portal's domain words."""
    from pythainlp.corpus.common import thai_words

    return frozenset(thai_words()) | DOMAIN_WORDS

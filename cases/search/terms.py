"""The words search works on: the domain dictionary (agency names and abbreviations, places,
award terms, read from the database) handed to the segmenter, and the normalised *terms*
documents and queries are made of, with the parts of compounds."""

import functools
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

from awards.models import Branch, Category
from portal import thai
from portal.agencies.models import Agency, Province

from ..models import Topic

# --- The dictionary ------------------------------------------------------------------------

# Award vocabulary the general dictionary splits or misses. Names stay whole (a search for
# รัฐ must not find เลิศรัฐ); compounds are found by their parts too.
AWARD_NAMES = frozenset(
    {"เลิศรัฐ", "ต้นแบบ", "ภาครัฐ", "ดีเด่น", "เกียรติยศ", "โอทอป", "แซนด์บ็อกซ์", "ขยายผล"}
)
AWARD_TERMS = frozenset(
    {
        "รางวัลเลิศรัฐ", "ถอดบทเรียน", "ผลงานต้นแบบ", "นวัตกรรมการบริการ",
        "ขยายผลมาตรฐานการบริการ", "สัมฤทธิผลประชาชนมีส่วนร่วม", "บริการภาครัฐ",
        "คุณภาพการบริหารจัดการภาครัฐ", "การบริหารราชการแบบมีส่วนร่วม", "ศูนย์ราชการสะดวก",
        "ผู้ตรวจประเมิน", "ลงพื้นที่", "ภาคีเครือข่าย", "มีส่วนร่วม", "พื้นที่สูง", "โครงการหลวง",
    }
)  # fmt: skip
# Prefixes that make a noun of a verb or adjective: the bare word should find the noun.
NOMINALISERS = ("การ", "ความ", "ผู้", "นัก")
DICTIONARY_TTL = 600  # seconds: a worker or web process picks up new agency names by then


@dataclass(frozen=True)
class Dictionary:
    words: frozenset  # extra words handed to the segmenter
    compounds: frozenset  # of them, the ones also indexed by their parts
    fixed: frozenset  # names never split (places, abbreviations, award names)
    base: frozenset  # the general dictionary plus every domain word (to check parts)
    loaded_at: float = field(default_factory=time.monotonic, compare=False)
    # Parts of words seen so far, per dictionary: a process-wide cache keyed by the word sets
    # would compare two 60,000-word sets on every lookup once the dictionary is re-read.
    cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


_dictionary: Dictionary | None = None
_dictionary_lock = threading.Lock()


def _clean_name(name: str) -> list[str]:
    """An official name as dictionary entries: without its parenthesised remark, each
    space-separated piece on its own (the segmenter never joins across spaces)."""
    name = re.sub(r"\(.*?\)", " ", name or "")
    return [piece for piece in name.split() if len(piece) > 1]


def load_dictionary() -> Dictionary:
    """Read the domain words from the database (agencies, places, award structure, topics)."""
    fixed, compounds = set(AWARD_NAMES), set(AWARD_TERMS)
    for name_th, abbreviation in Agency.objects.values_list("name_th", "abbreviation"):
        compounds.update(_clean_name(name_th))
        if abbreviation:
            fixed.update({abbreviation, abbreviation.rstrip(".")})
    for name in Province.objects.values_list("name_th", flat=True):
        fixed.update(_clean_name(name))
    for model in (Branch, Category, Topic):
        for name in model.objects.values_list("name_th", flat=True):
            compounds.update(_clean_name(name))
    words = frozenset(fixed | compounds | thai.DOMAIN_WORDS)
    return Dictionary(
        words=words,
        compounds=frozenset(compounds - fixed),
        fixed=frozenset(fixed),
        base=thai.dictionary_words() | words,
    )


def dictionary(refresh: bool = False) -> Dictionary:
    """The dictionary, loaded once per process (and re-read after DICTIONARY_TTL)."""
    global _dictionary
    current = _dictionary
    if refresh or current is None or time.monotonic() - current.loaded_at > DICTIONARY_TTL:
        with _dictionary_lock:
            current = _dictionary = load_dictionary()
            thai.segment("ก", current.words)  # build the segmenter's trie now, not mid-request
    return current


def forget_dictionary() -> None:
    global _dictionary
    _dictionary = None


# --- Words and terms -----------------------------------------------------------------------

THAI = re.compile("[\u0e00-\u0e7f]")
ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
THAI_DIGIT = re.compile("[๐-๙]")


@functools.lru_cache(maxsize=2**16)
def terms_of(token: str) -> tuple[str, ...]:
    """The index terms of one segmented word (usually one; none for punctuation). Kept per
    word: a snippet asks for every word of its passage, and words repeat (a fifth of a
    search's snippets' time was this)."""
    text = token.translate(ARABIC).lower()
    if THAI.search(text):
        text = text.replace(".", "")  # ก.พ.ร. = กพร
    kept = "".join(ch if unicodedata.category(ch)[0] in "LNM" or ch == "." else " " for ch in text)
    return tuple(t.strip(".") for t in kept.split() if t.strip(".") and t != "ๆ")


def _split(term: str, base: frozenset, shortest: int) -> list[str] | None:
    """Fewest dictionary words (not the term itself) covering the term; among equals the
    longest words first, as the segmenter's maximal matching does."""
    best: list[list[str] | None] = [[]] + [None] * len(term)
    for end in range(1, len(term) + 1):
        for start in range(end):
            piece = term[start:end]
            if best[start] is None or piece == term or len(piece) < shortest or piece not in base:
                continue
            candidate = best[start] + [piece]
            if best[end] is None or _better(candidate, best[end]):
                best[end] = candidate
    return best[-1]


def _parts(term: str, d: Dictionary) -> tuple:
    key = ("parts", term)
    if key not in d.cache:
        if len(d.cache) > 200_000:
            d.cache.clear()
        d.cache[key] = _compute_parts(term, d.compounds, d.base, d.fixed)
    return d.cache[key]


def _compute_parts(term: str, compounds: frozenset, base: frozenset, fixed: frozenset) -> tuple:
    if term in compounds:
        pieces = _split(term, base, 2)
        return tuple(pieces) if pieces and len(pieces) > 1 else ()
    if term in fixed or not THAI.search(term):
        return ()
    for prefix in NOMINALISERS:
        rest = term[len(prefix) :]
        if term.startswith(prefix) and len(rest) > 1 and rest in base:
            return (prefix, rest)
    if len(term) >= 6 and term in base:
        # A transparent compound of the general dictionary (ป่าชุมชน = ป่า + ชุมชน,
        # แหล่งน้ำ = แหล่ง + น้ำ): two words of at least three characters each. Shorter
        # pieces (ตา in ตาราง, ยา in กันยายน) are where nonsense matches come from.
        pieces = _split(term, base, 3)
        if pieces and len(pieces) == 2:
            return tuple(pieces)
    return ()


def _better(a: list[str], b: list[str]) -> bool:
    return (len(a), [-len(p) for p in a]) < (len(b), [-len(p) for p in b])


def leaves(term: str, d: Dictionary) -> tuple:
    """The smallest parts of a compound, recursively (() when it has none)."""
    key = ("leaves", term)
    if key not in d.cache:
        out = []
        for piece in _parts(term, d):
            out.extend(leaves(piece, d) or (piece,))
        d.cache[key] = tuple(out)
    return d.cache[key]


def _descendants(term, d):
    out = []
    for piece in _parts(term, d):
        out.append(piece)
        out.extend(_descendants(piece, d))
    return out


def parts(term: str, d: Dictionary | None = None) -> tuple[str, ...]:
    d = d or dictionary()
    return leaves(term, d)


_THAI_DOT = re.compile(r"(?<=[\u0e00-\u0e7f])\.|\.(?=[\u0e00-\u0e7f])")


def chars_of(text: str, normalized: bool = False) -> str:
    """Text for the sub-word layer: normalised as terms are (lower-case, Arabic digits, Thai
    abbreviations without dots), anything but letters, marks and digits one space."""
    text = (text or "") if normalized else thai.normalize(text or "")
    text = _THAI_DOT.sub("", text.translate(ARABIC).lower())
    return " ".join(
        "".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text).split()
    )


# Latin letters with diacritics as their base letter: SQLite's word tokenizer (unicode61)
# finds café for cafe, so a check that must never say less than an engine folds them too.
_LATIN_BASE = {
    code: base
    for code in range(0xC0, 0x250)
    if (base := "".join(c for c in unicodedata.normalize("NFKD", chr(code))
                        if not unicodedata.combining(c))) != chr(code)
}  # fmt: skip


def folded(text: str) -> str:
    """Terms or characters with Latin diacritics dropped, character by character (so a word
    inside a text is inside it folded)."""
    return text.translate(_LATIN_BASE)


def is_whole_word(term: str, d: Dictionary) -> bool:
    """A word a person would type whole: in the dictionary, or a Latin word, never a
    syllable the segmenter left over (what suggestions may offer)."""
    if THAI.search(term):
        return term in d.base and len(term) > 1 and term not in NOMINALISERS
    return len(term) > 2 and term.isalpha()


def index_terms(text: str, d: Dictionary | None = None, normalized: bool = False) -> list[str]:
    """The terms a document is indexed by: every word, and the parts of compounds."""
    d = d or dictionary()
    out = []
    cache = d.cache
    for token in thai.segment(text or "", d.words, normalized=normalized):
        expanded = cache.get(token)  # words repeat a lot: each is worked out once
        if expanded is None:
            expanded = []
            for term in terms_of(token):
                expanded.append(term)
                expanded.extend(_descendants(term, d))
            if len(cache) > 200_000:
                cache.clear()
            cache[token] = expanded
        out.extend(expanded)
    return out

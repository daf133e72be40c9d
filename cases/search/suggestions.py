"""When nothing matches: other spellings and shorter queries that do find something."""

from portal import thai

from ..models import SearchDocument
from .query import Query, count, parse
from .terms import THAI, dictionary, terms_of

Kind = SearchDocument.Kind


SPELL_MAX_LENGTH = 15
SUGGEST_MAX_WORDS = 8


def suggestions(query: Query, kind: str = Kind.CASE, limit: int = 3) -> list[dict]:
    """Other spellings and shorter queries that do find something, best first."""
    from pythainlp.spell import correct

    found, seen = [], {query.text}
    d = dictionary()

    def offer(text, reason):
        if text and text not in seen and len(found) < limit:
            seen.add(text)
            candidate = parse(text)
            hits = count(candidate, kind) if candidate else 0
            if hits:
                found.append({"q": text, "count": hits, "reason": reason})

    words = [w for w in thai.segment(query.text, d.words) if terms_of(w)][:SUGGEST_MAX_WORDS]
    # The spell checker tries every edit at distance 2: its work and memory grow with the
    # square of a word's length (a 200-letter "word" took 24 GB). Real words are short.
    corrected = [
        correct(w) if THAI.search(w) and w not in d.base and len(w) <= SPELL_MAX_LENGTH else w
        for w in words
    ]
    if corrected != words:
        offer("".join(_joined(corrected)), "spelling")
    if len(words) > 1:
        singles = sorted(((count(parse(w), kind), w) for w in words if parse(w)), reverse=True)
        kept = [w for n, w in singles if n]
        if kept and len(kept) < len(words):
            offer("".join(_joined([w for w in words if w in kept])), "fewer")
        for n, word in singles:
            if n:
                offer(word, "fewer")
    return found


def _joined(words):
    """Words back into a query: Thai runs together, spaces around Latin and digits."""
    out = []
    for i, word in enumerate(words):
        if i and not (THAI.search(word) and THAI.search(words[i - 1])):
            out.append(" ")
        out.append(word)
    return out

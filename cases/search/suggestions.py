"""When nothing (or little) matches: whole words of the index's own vocabulary (SearchWord)
within a small edit distance of the query's words, and shorter queries that find something.
Never syllables: a candidate is a word indexed documents contain and the dictionary knows.

Bounded for any input: at most SUGGEST_MAX_WORDS words of at most SPELL_MAX_LENGTH
characters are corrected, with one query reading at most CANDIDATE_ROWS vocabulary rows,
and at most `limit` + SUGGEST_MAX_WORDS counts, each stopping at COUNT_CAP + 1 matches."""

from portal import thai

from ..models import SearchDocument, SearchWord
from . import query as matching
from .query import Query, count, parse
from .terms import THAI, chars_of, dictionary, is_whole_word, terms_of

Kind = SearchDocument.Kind

SPELL_MAX_LENGTH = 30
SUGGEST_MAX_WORDS = 8
CANDIDATE_ROWS = 5000
MAX_SPAN = 4  # segmenter tokens a misspelt word may have been cut into


def distance(a: str, b: str, bound: int) -> int:
    """Levenshtein distance, or bound + 1 once it is certainly more than bound."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > bound:
            return bound + 1
        previous = current
    return previous[-1]


def allowed(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def corrections(words: list[str]) -> dict[str, str]:
    """For each word (or run of up to MAX_SPAN words) not in the vocabulary, the nearest
    vocabulary word: one query for all of them."""
    spans = {}
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + MAX_SPAN) + 1):
            text = chars_of("".join(words[i:j])).replace(" ", "")
            if 1 < len(text) <= SPELL_MAX_LENGTH:
                spans[(i, j)] = text
    if not spans:
        return {}
    known = set(
        SearchWord.objects.filter(word__in=set(spans.values())).values_list("word", flat=True)
    )
    wanted = {text for text in spans.values() if text not in known and len(text) > 2}
    if not wanted:
        return {}
    firsts = {text[0] for text in wanted}
    shortest = min(len(t) for t in wanted) - 2
    longest = max(len(t) for t in wanted) + 2
    rows = SearchWord.objects.filter(
        first__in=firsts, length__gte=shortest, length__lte=longest
    ).values_list("word", flat=True)[:CANDIDATE_ROWS]
    candidates = list(rows)
    best = {}
    for text in wanted:
        scored = [
            (distance(text, word, allowed(text)), -len(word), word)
            for word in candidates
            if word[0] == text[0]
        ]
        scored = [s for s in scored if s[0] <= allowed(text)]
        if scored:
            best[text] = min(scored)[2]
    return best


def suggestions(query: Query, kind: str = Kind.CASE, limit: int = 3) -> list[dict]:
    """Other spellings and shorter queries that do find something, best first."""
    found, seen = [], {query.text}
    d = dictionary()

    def offer(text, reason):
        if text and text not in seen and len(found) < limit:
            seen.add(text)
            candidate = parse(text)
            hits = counted(text, candidate)
            if hits:
                found.append({"q": text, "count": min(hits, matching.COUNT_CAP), "reason": reason,
                              "count_is_lower_bound": hits > matching.COUNT_CAP})  # fmt: skip

    counts = {}

    def counted(text, candidate):
        if text not in counts:
            counts[text] = count(candidate, kind) if candidate else 0
        return counts[text]

    words = [w for w in thai.segment(query.text, d.words) if terms_of(w)][:SUGGEST_MAX_WORDS]
    best = corrections(words)
    if best:
        # Longest runs first: โรง + พญา + บาล is one misspelt word (โรงพยาบาล), not three.
        out, i = [], 0
        while i < len(words):
            for j in range(min(len(words), i + MAX_SPAN), i, -1):
                text = chars_of("".join(words[i:j])).replace(" ", "")
                if text in best:
                    out.append(best[text])
                    i = j
                    break
            else:
                out.append(words[i])
                i += 1
        offer("".join(_joined(out)), "spelling")
    # Shorter queries keep whole words only, and only when no word was misspelt: บาล left
    # over from โรงพญาบาล is no suggestion.
    whole = [w for w in words if all(is_whole_word(term, d) for term in terms_of(w))]
    if len(words) > 1 and whole and not best:
        singles = sorted(((counted(w, parse(w)), w) for w in whole), reverse=True)
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

"""Snippets and highlights, cut and marked on Thai word boundaries."""

from dataclasses import replace

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal import thai

from .query import PIECE, Query
from .terms import ARABIC, NOMINALISERS, THAI_DIGIT, Dictionary, dictionary, leaves, terms_of


def _hit_term(term: str, query: Query) -> bool:
    return term in query.highlight and term not in NOMINALISERS


def _render_token(token: str, query: Query, d: Dictionary) -> tuple[str, bool]:
    """One word as HTML: marked whole when it is a query word; when only its parts are
    (พัฒนา in การพัฒนา, เชียงใหม่ in an agency's name), those parts are marked."""
    terms = terms_of(token)
    if any(t in query.highlight for t in terms):
        return f"<mark>{escape(token)}</mark>", True
    if len(terms) == 1:
        pieces = leaves(terms[0], d)
        if pieces and "".join(pieces) == token and any(_hit_term(p, query) for p in pieces):
            html = "".join(
                f"<mark>{escape(p)}</mark>" if _hit_term(p, query) else escape(p) for p in pieces
            )
            return html, True
    return escape(token), False


class _Marking:
    """Each word as HTML for one query (_render_token), worked out once per word: a passage
    is looked through for a hit, then rendered, and words repeat."""

    def __init__(self, query: Query, d: Dictionary):
        self.query, self.d, self.seen = query, d, {}

    def __call__(self, token: str) -> tuple[str, bool]:
        found = self.seen.get(token)
        if found is None:
            found = self.seen[token] = _render_token(token, self.query, self.d)
        return found

    def any_hit(self, tokens) -> bool:
        return any(self(token)[1] for token in tokens)


def _render(tokens, mark: _Marking, before: bool, after: bool) -> SafeString:
    html = "".join(mark(token)[0] for token in tokens)
    html = html.replace("</mark><mark>", "")  # ลด|โลก|ร้อน asked together: one mark
    return mark_safe(("…" if before else "") + html.strip() + ("…" if after else ""))  # noqa: S308


def _subword_needles(query: Query) -> list[str]:
    """The query's words long enough for the sub-word layer (trigrams), longest first."""
    return _longest_first(
        {n for n in query.highlight if n and len(n) >= PIECE and n not in NOMINALISERS}
    )


def _longest_first(words) -> list[str]:
    """Longest first, then in the alphabet's order: a set's order changes with each
    process's string hashing, and the first word found decides the passage shown (two web
    workers showed different snippets for PMQA 4.0)."""
    return sorted(words, key=lambda word: (-len(word), word))


def _render_subword(text: str, needles: list[str], before: bool, after: bool) -> SafeString:
    """The text with each occurrence of a needle marked by position, inside words too: the
    sub-word layer found it where the document's words were cut differently from the query's
    (สุราษฎร์ in สุราษฎร์ธานี), and the reader should see where."""
    low = _lowered(text)
    html, at = [], 0
    while at < len(text):
        hit = next((n for n in needles if low.startswith(n, at)), None)
        if hit:
            html.append(f"<mark>{escape(text[at : at + len(hit)])}</mark>")
            at += len(hit)
        else:
            html.append(escape(text[at]))
            at += 1
    body = "".join(html).strip()
    return mark_safe(("…" if before else "") + body + ("…" if after else ""))  # noqa: S308


def _cut(tokens, width):
    out, length = [], 0
    for token in tokens:
        if length + len(token) > width and out:
            return out, True
        out.append(token)
        length += len(token)
    return out, False


def _occurrences(texts, needles, normalized: dict):
    """(text, text lowered, needle, its first position) for each needle in each text: in the
    texts as written, then in those normalising changes (a word typed with a repeated vowel
    or its tone mark first). Normalising every text of a page's twenty results took half its
    time, and texts as written are almost always normal already. `normalized` keeps them for
    the next look (a result matched in its title only is looked through twice)."""
    for text in filter(None, texts):
        low = _lowered(text)
        yield from ((text, low, n, pos) for n in needles if (pos := low.find(n)) >= 0)
    for text in filter(None, texts):
        if text not in normalized:
            normalized[text] = thai.normalize(text)
        if (norm := normalized[text]) != text:
            low = _lowered(norm)
            yield from ((norm, low, n, pos) for n in needles if (pos := low.find(n)) >= 0)


def _lowered(text: str) -> str:
    """As query words are: lower case, Thai digits as Arabic ones."""
    low = text.lower()
    return low.translate(ARABIC) if THAI_DIGIT.search(low) else low


def _window(text, pos, width, d):
    """Whole words around `pos`: the first and last may be cut, and are dropped."""
    lo, hi = max(0, pos - 60), min(len(text), pos + width)
    tokens = thai.segment(text[lo:hi], d.words, keep_whitespace=True)
    if lo > 0:
        tokens = tokens[1:]
    if hi < len(text):
        tokens = tokens[:-1]
    return tokens, lo > 0, hi < len(text)


def snippet(texts, query: Query, width: int = 220) -> SafeString:
    """A short passage around the first place the query's words occur, cut and highlighted
    on Thai word boundaries: whole segmented words are marked where the text has them; only a
    text that holds a query word solely inside longer words has those parts marked."""
    d = dictionary()
    mark = _Marking(query, d)
    words = {t for t in query.highlight if t}
    typed = words & {term for group in query.groups for term in terms_of(group.text)}
    normalized = {}
    # A passage with a word whole as typed first, in any of the texts, then one with its
    # parts or thesaurus equivalents: PMQA 4.0's was one with พัฒนา, a part of an equivalent,
    # in the summary before the body that named PMQA.
    as_typed = _Marking(replace(query, highlight=frozenset(typed)), d)
    for needles, finds in ((typed, as_typed), (words - typed, mark)):
        for text, low, needle, pos in _occurrences(texts, _longest_first(needles), normalized):
            for _try in range(4):
                tokens, before, after = _window(text, pos, width, d)
                if finds.any_hit(tokens):
                    return _render(tokens, mark, before, after)
                if (pos := low.find(needle, pos + 1)) < 0:
                    break
    subword = _subword_needles(query)
    for text, low, _needle, _pos in _occurrences(texts, subword, normalized):
        pos = min(p for n in subword if (p := low.find(n)) >= 0)
        tokens, before, after = _window(text, pos, width, d)
        return _render_subword("".join(tokens), subword, before, after)
    first = next((t for t in texts if t), "")
    tokens, cut = _cut(thai.segment(first[: width * 2], d.words, keep_whitespace=True), width)
    return _render(tokens, mark, False, cut or len(first) > width * 2)


def highlight(text: str, query: Query) -> SafeString:
    """The whole text (a title) with the query's words marked."""
    d = dictionary()
    mark = _Marking(query, d)
    tokens = thai.segment(text or "", d.words, keep_whitespace=True)
    if not mark.any_hit(tokens):
        return _render_subword(thai.normalize(text or ""), _subword_needles(query), False, False)
    return _render(tokens, mark, False, False)

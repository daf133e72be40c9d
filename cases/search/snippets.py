"""Snippets and highlights, cut and marked on Thai word boundaries."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal import thai

from .query import PIECE, Query
from .terms import ARABIC, NOMINALISERS, Dictionary, dictionary, leaves, terms_of


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


def _is_hit(token: str, query: Query, d: Dictionary) -> bool:
    return _render_token(token, query, d)[1]


def _render(tokens, query, d, before: bool, after: bool) -> SafeString:
    html = "".join(_render_token(token, query, d)[0] for token in tokens)
    html = html.replace("</mark><mark>", "")  # ลด|โลก|ร้อน asked together: one mark
    return mark_safe(("…" if before else "") + html.strip() + ("…" if after else ""))  # noqa: S308


def _subword_needles(query: Query) -> list[str]:
    """The query's words long enough for the sub-word layer (trigrams), longest first."""
    return sorted(
        {n for n in query.highlight if n and len(n) >= PIECE and n not in NOMINALISERS},
        key=len,
        reverse=True,
    )


def _render_subword(text: str, needles: list[str], before: bool, after: bool) -> SafeString:
    """The text with each occurrence of a needle marked by position, inside words too: the
    sub-word layer found it where the document's words were cut differently from the query's
    (สุราษฎร์ in สุราษฎร์ธานี), and the reader should see where."""
    low = text.lower().translate(ARABIC)
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


def snippet(texts, query: Query, width: int = 220) -> SafeString:
    """A short passage around the first place the query's words occur, cut and highlighted
    on Thai word boundaries: whole segmented words are marked where the text has them; only a
    text that holds a query word solely inside longer words has those parts marked."""
    d = dictionary()
    needles = sorted({t for t in query.highlight if t}, key=len, reverse=True)
    for text in texts:
        if not text:
            continue
        norm = thai.normalize(text)
        low = norm.lower().translate(ARABIC)
        for needle in needles:
            start, tries = 0, 0
            while tries < 4 and (pos := low.find(needle, start)) >= 0:
                tries, start = tries + 1, pos + 1
                lo, hi = max(0, pos - 60), min(len(norm), pos + width)
                tokens = thai.segment(norm[lo:hi], d.words, keep_whitespace=True)
                if lo > 0:
                    tokens = tokens[1:]  # the first and last words may be cut: drop them
                if hi < len(norm):
                    tokens = tokens[:-1]
                if any(_is_hit(t, query, d) for t in tokens):
                    return _render(tokens, query, d, lo > 0, hi < len(norm))
    subword = _subword_needles(query)
    for text in texts:
        norm = thai.normalize(text or "")
        low = norm.lower().translate(ARABIC)
        found = [pos for n in subword if (pos := low.find(n)) >= 0]
        if found:
            pos = min(found)
            lo, hi = max(0, pos - 60), min(len(norm), pos + width)
            tokens = thai.segment(norm[lo:hi], d.words, keep_whitespace=True)
            if lo > 0:
                tokens = tokens[1:]
            if hi < len(norm):
                tokens = tokens[:-1]
            return _render_subword("".join(tokens), subword, lo > 0, hi < len(norm))
    first = next((t for t in texts if t), "")
    tokens, cut = _cut(thai.segment(first[: width * 2], d.words, keep_whitespace=True), width)
    return _render(tokens, query, d, False, cut or len(first) > width * 2)


def highlight(text: str, query: Query) -> SafeString:
    """The whole text (a title) with the query's words marked."""
    d = dictionary()
    tokens = thai.segment(text or "", d.words, keep_whitespace=True)
    if not any(_is_hit(t, query, d) for t in tokens):
        return _render_subword(thai.normalize(text or ""), _subword_needles(query), False, False)
    return _render(tokens, query, d, False, False)

"""The link-preview card of a case study without a photo: a 1200×630 PNG with its title in Thai,
drawn by the portal itself (Pillow, with the Sarabun font it already serves) and cached until
the case study changes.

Sarabun is served as two subsets (Thai, Latin; static/fonts); a title mixes both ("Smart OPD",
digits), and Pillow takes one font per text, so the subsets are merged once per process. Thai
has no spaces between words: lines are broken between the words portal.thai.segment finds."""

import io
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from fontTools.merge import Merger
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

from portal.thai import segment

from .structured_data import level_in_thai

WIDTH, HEIGHT, MARGIN = 1200, 630, 80
BLUE, BLUE_DARK, GOLD, WHITE = "#0b4f8a", "#083a66", "#f2c14e", "#ffffff"
MAX_LINES = 4
FONTS = settings.BASE_DIR / "static" / "fonts"


@lru_cache(maxsize=2)
def _font_file(weight: int) -> bytes:
    subsets = []
    for subset in ("thai", "latin"):
        font = TTFont(FONTS / f"sarabun-{subset}-{weight}-normal.woff2")
        font.flavor = None  # as TrueType: the merger reads plain font files
        out = io.BytesIO()
        font.save(out)
        out.seek(0)
        subsets.append(out)
    merged = io.BytesIO()
    Merger().merge(subsets).save(merged)
    return merged.getvalue()


def _font(weight: int, size: int) -> ImageFont.FreeTypeFont:
    # Raqm places Thai vowels and tone marks above and below their consonant.
    return ImageFont.truetype(
        io.BytesIO(_font_file(weight)), size, layout_engine=ImageFont.Layout.RAQM
    )


def wrap(text: str, font, width: int, max_lines: int = MAX_LINES) -> list[str]:
    """Lines of at most `width` pixels, broken between words; the last ends in "…" when the
    text is longer than `max_lines`."""
    lines, line = [], ""
    for word in segment(text, keep_whitespace=True):
        if line and font.getlength(line + word) > width:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines


def draw(case) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BLUE)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, HEIGHT - 24, WIDTH, HEIGHT), fill=BLUE_DARK)
    pen.rectangle((MARGIN, 70, MARGIN + 96, 78), fill=GOLD)
    pen.text((MARGIN, 92), "ผลงานเลิศรัฐ · รางวัลเลิศรัฐ", font=_font(400, 34), fill=WHITE)
    width = WIDTH - 2 * MARGIN
    size = 64
    lines = wrap(case.title, _font(700, size), width)
    if len(lines) > 3:
        size = 52
        lines = wrap(case.title, _font(700, size), width)
    y = 170
    for line in lines:
        pen.text((MARGIN, y), line, font=_font(700, size), fill=WHITE)
        y += int(size * 1.45)
    parts = (level_in_thai(case), f"พ.ศ. {case.year_be}", case.agency and case.agency.name_th)
    footer = " · ".join(part for part in parts if part)
    pen.text((MARGIN, HEIGHT - 110), footer, font=_font(400, 32), fill=GOLD)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def card_png(case) -> bytes:
    """The card, from the cache while the case study is unchanged."""
    key = f"case-card:{case.pk}:{int(case.updated_at.timestamp())}"
    png = cache.get(key)
    if png is None:
        png = draw(case)
        cache.set(key, png, 60 * 60 * 24 * 30)
    return png

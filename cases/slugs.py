"""Readable URL slugs from Thai titles, cut on Thai word boundaries.

Django's slugify drops Thai vowels and tone marks (they are not \\w), which mangles words
(ชุมชน → ชมชน); these slugs keep every letter, mark and digit and replace the rest by "-"."""

import re
import unicodedata

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from portal.thai import segment

MAX_SLUG_WORDS = 12
SLUG_RE = re.compile(r"^[-\w\u0e00-\u0e7f]+\Z")
validate_thai_slug = RegexValidator(SLUG_RE, _("ใช้ได้เฉพาะตัวอักษร ตัวเลข และขีด (-)"), "invalid")


def thai_slugify(text: str) -> str:
    chars = [ch.lower() if unicodedata.category(ch)[0] in "LMN" else "-" for ch in text or ""]
    return re.sub(r"-{2,}", "-", "".join(chars)).strip("-")


def slug_for(title: str, max_length: int = 120) -> str:
    words = [w for w in segment(title) if any(ch.isalnum() for ch in w)][:MAX_SLUG_WORDS]
    slug = ""
    for word in words:
        candidate = thai_slugify(f"{slug}-{word}" if slug else word)
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "case"


def unique_slug(model, title: str) -> str:
    base = slug_for(title)
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug

"""Readable URL slugs from Thai titles, cut on Thai word boundaries."""

from django.utils.text import slugify

from portal.thai import segment

MAX_SLUG_WORDS = 12


def slug_for(title: str, max_length: int = 120) -> str:
    words = [w for w in segment(title) if any(ch.isalnum() for ch in w)][:MAX_SLUG_WORDS]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(slugify(candidate, allow_unicode=True)) > max_length:
            break
        slug = candidate
    return slugify(slug, allow_unicode=True) or "case"


def unique_slug(model, title: str) -> str:
    base = slug_for(title)
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug

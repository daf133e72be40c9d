"""What only changes with the index is cached per index generation."""

import hashlib
import json
import uuid

from django.core.cache import cache

GENERATION_KEY = "cases:search-generation"
CACHE_SECONDS = 300


def generation() -> str:
    """A token that changes whenever the index (or what is published) changes."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(GENERATION_KEY, token, None)
        token = cache.get(GENERATION_KEY, token)
    return token


def bump_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def cached(key_parts, compute):
    """compute() cached until the index changes (facet counts over a common word read every
    matching row: once per query and index generation, not once per visitor)."""
    raw = json.dumps([generation(), key_parts], ensure_ascii=False, sort_keys=True, default=str)
    key = "cases:search:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value

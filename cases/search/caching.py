"""What only changes with the index is cached per index generation."""

import hashlib
import json
import uuid

from django.core.cache import cache

GENERATION_KEY = "cases:search-generation"
# Entries' private rows change with every submission: their own generation, so that a deadline
# rush never makes the public pages render again.
GENERATION_KEYS = {"public": GENERATION_KEY, "entries": f"{GENERATION_KEY}:entries"}
CACHE_SECONDS = 300


def generation(scope: str = "public") -> str:
    """A token that changes whenever the index (or what is published) changes."""
    key = GENERATION_KEYS[scope]
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(key, token, None)
        token = cache.get(key, token)
    return token


def bump_generation(scope: str = "public") -> None:
    cache.set(GENERATION_KEYS[scope], uuid.uuid4().hex, None)


def cached(key_parts, compute, scope: str = "public"):
    """compute() cached until the index changes (facet counts over a common word read every
    matching row: once per query and index generation, not once per visitor)."""
    raw = json.dumps(
        [generation(scope), key_parts], ensure_ascii=False, sort_keys=True, default=str
    )
    key = "cases:search:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value

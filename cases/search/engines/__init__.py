"""One engine per database behind one small interface, as Wagtail's database search
backends are: `condition(groups, tier)`, the SQL condition that every query group matches in
that tier. Tiers, best first (a document's rank is the first it is in):

0-2  every group as whole words: in the title; in title + summary; anywhere;
3-5  every group as whole words or sub-words (pieces of the text as written): in the title;
     in title + summary; anywhere (5 is what matches at all)."""

from django.db import connection

from .base import FIELDS, LAST_TIER, WORD_TIERS
from .postgresql import PostgresEngine
from .sqlite import SqliteEngine

__all__ = ["FIELDS", "LAST_TIER", "WORD_TIERS", "PostgresEngine", "SqliteEngine", "engine"]


def engine():
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise NotImplementedError(f"no full-text search for {connection.vendor}")

"""One engine per database behind one small interface (`condition(terms, tier)`), as
Wagtail's database search backends are. A tier is the set of columns all terms must be found
in: 0 title, 1 title + summary, 2 any."""

from django.db import connection

from .postgresql import PostgresEngine
from .sqlite import SqliteEngine

__all__ = ["PostgresEngine", "SqliteEngine", "engine"]


def engine():
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise NotImplementedError(f"no full-text search for {connection.vendor}")

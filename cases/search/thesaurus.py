"""The thesaurus: which words a query also searches. Staff groups (ThesaurusGroup, edited in
the admin, seeded from cases/thesaurus_seed.tsv) plus what the reference tables already say:
an agency's abbreviation is its Thai name, a province's Thai name is its English one.

Every process keeps the thesaurus in memory and re-reads it when the shared cache says it
changed (an admin edit in one process reaches the others' next query) or after TTL seconds."""

import csv
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from portal.agencies.models import Agency, Province
from portal.operations.cache import new_token, read_together, token

from ..models import ThesaurusGroup
from .terms import chars_of

SEED = Path(__file__).resolve().parent.parent / "thesaurus_seed.tsv"
VERSION_KEY = "cases:thesaurus-version"
read_together(VERSION_KEY)  # every search reads it
TTL = 600
MAX_EQUIVALENTS = 12  # a group larger than this is cut: a query stays a bounded OR


def key_of(term: str) -> str:
    """Equal for spellings the thesaurus treats as one: normalised, spaces removed
    (Smart Farm = smartfarm, รพ.สต. = รพสต)."""
    return chars_of(term).replace(" ", "")


@dataclass(frozen=True)
class Thesaurus:
    equivalents: dict  # key → the terms it stands for, as written
    loaded_at: float = field(default_factory=time.monotonic, compare=False)
    version: str = ""

    def of(self, key: str) -> tuple:
        return self.equivalents.get(key, ())


def read_seed(path: Path = SEED) -> list[tuple[str, list[str]]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            terms = [t.strip() for t in (row.get("terms") or "").split("|") if t.strip()]
            if row.get("kind") and len(terms) > 1:
                rows.append((row["kind"], terms))
    return rows


def seed_groups(model=ThesaurusGroup, path: Path = SEED) -> int:
    """Add the seed file's groups not there yet (by their terms): staff edits are kept."""
    known = set(model.objects.values_list("terms", flat=True))
    new = [
        model(kind=kind, terms="|".join(terms))
        for kind, terms in read_seed(path)
        if "|".join(terms) not in known
    ]
    model.objects.bulk_create(new)
    return len(new)


def _groups():
    for terms in ThesaurusGroup.objects.values_list("terms", flat=True):
        yield [t.strip() for t in terms.replace("\n", "|").split("|") if t.strip()]
    for abbreviation, name in Agency.objects.exclude(abbreviation="").values_list(
        "abbreviation", "name_th"
    ):
        yield [abbreviation, name]
    for name_th, name_en in Province.objects.values_list("name_th", "name_en"):
        yield [name_th, name_en]


def load() -> Thesaurus:
    merged: dict[str, dict[str, None]] = {}
    for terms in _groups():
        keys = [key_of(t) for t in terms]
        if len({k for k in keys if k}) < 2:
            continue
        for key in keys:
            if key:
                bucket = merged.setdefault(key, {})
                bucket.update(dict.fromkeys(terms))
    return Thesaurus({k: tuple(v)[:MAX_EQUIVALENTS] for k, v in merged.items()})


_thesaurus: Thesaurus | None = None
_lock = threading.Lock()


def thesaurus() -> Thesaurus:
    global _thesaurus
    current, version = _thesaurus, token(VERSION_KEY, unreachable="")
    if current is None or current.version != version or time.monotonic() - current.loaded_at > TTL:
        with _lock:
            current = _thesaurus = Thesaurus(load().equivalents, version=version)
    return current


def changed() -> None:
    """A group, an agency or a province changed: every process re-reads the thesaurus."""
    global _thesaurus
    _thesaurus = None
    new_token(VERSION_KEY)

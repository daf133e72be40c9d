"""Ranking figures of the search-quality harness and the plain substring floor (no Django).

A run is {query id: [document ids, best first]}; a query is a dict with "relevant" (ids) and
"hard" (bool). Figures are at a cut-off of K (10): MRR, MAP@K, recall@K."""

import json
from pathlib import Path

K = 10
FIGURES = ("mrr", "map", "recall")


def reciprocal_rank(ranked: list, relevant, k: int = K) -> float:
    for position, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            return 1.0 / position
    return 0.0


def average_precision(ranked: list, relevant, k: int = K) -> float:
    """AP@k: the mean of precision at each relevant hit, over min(|relevant|, k)."""
    relevant = set(relevant)
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for position, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / position
    return total / min(len(relevant), k)


def recall(ranked: list, relevant, k: int = K) -> float:
    relevant = set(relevant)
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def score(run: dict, queries: list[dict], k: int = K) -> dict:
    """{"mrr", "map", "recall", "hard_mrr", "hard_map", "hard_recall", "queries", "hard"}."""

    def mean(values):
        return round(sum(values) / len(values), 4) if values else 0.0

    figures = {}
    for prefix, subset in (("", queries), ("hard_", [q for q in queries if q.get("hard")])):
        rows = [(run.get(q["id"], []), q["relevant"]) for q in subset]
        figures[prefix + "mrr"] = mean([reciprocal_rank(r, rel, k) for r, rel in rows])
        figures[prefix + "map"] = mean([average_precision(r, rel, k) for r, rel in rows])
        figures[prefix + "recall"] = mean([recall(r, rel, k) for r, rel in rows])
    figures["queries"] = len(queries)
    figures["hard"] = sum(1 for q in queries if q.get("hard"))
    return figures


def substring_search(documents: list[dict], query: str) -> list[str]:
    """The floor: every whitespace-separated token of the query must occur as a substring of
    title + summary + body (case-folded); documents whose title has every token come first,
    then by external_id."""
    tokens = [t.casefold() for t in query.split()]
    if not tokens:
        return []
    hits = []
    for doc in documents:
        title = doc["title"].casefold()
        text = " ".join((doc["title"], doc["summary"], doc["body"])).casefold()
        if all(t in text for t in tokens):
            hits.append((0 if all(t in title for t in tokens) else 1, doc["external_id"]))
    return [doc_id for _, doc_id in sorted(hits)]


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def load_set(directory) -> tuple[list[dict], list[dict]]:
    """(documents, queries) of a judged set: documents.jsonl (import_cases format) and
    queries.jsonl ({"id", "query", "relevant", "hard", "kind"})."""
    directory = Path(directory)
    return read_jsonl(directory / "documents.jsonl"), read_jsonl(directory / "queries.jsonl")


def problems(documents: list[dict], queries: list[dict]) -> list[str]:
    """What is wrong with a judged set (empty when well-formed)."""
    found = []
    doc_ids = [d.get("external_id") for d in documents]
    if len(set(doc_ids)) != len(doc_ids) or None in doc_ids:
        found.append("document external_id missing or not unique")
    for doc in documents:
        for key in ("title", "summary", "body", "year_be"):
            if not doc.get(key):
                found.append(f"{doc.get('external_id')}: no {key}")
    query_ids = [q.get("id") for q in queries]
    if len(set(query_ids)) != len(query_ids):
        found.append("query id not unique")
    known = set(doc_ids)
    for q in queries:
        if not q.get("query", "").strip():
            found.append(f"{q.get('id')}: empty query")
        if not q.get("relevant"):
            found.append(f"{q.get('id')}: no relevant document")
        for doc_id in q.get("relevant", []):
            if doc_id not in known:
                found.append(f"{q.get('id')}: unknown relevant id {doc_id}")
        if len(set(q.get("relevant", []))) != len(q.get("relevant", [])):
            found.append(f"{q.get('id')}: relevant id listed twice")
        if not isinstance(q.get("hard"), bool):
            found.append(f"{q.get('id')}: hard must be true or false")
    return found

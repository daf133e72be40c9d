"""The search-quality harness (`make searcheval`): its figures on a tiny hand-made example, the
substring floor, and the committed judged set well-formed. The whole evaluation is never run
here (it imports 126 documents): see README "Search quality"."""

from pathlib import Path

import pytest

from bench.searcheval.metrics import (
    average_precision,
    load_set,
    problems,
    recall,
    reciprocal_rank,
    score,
    substring_search,
)

JUDGED_SET = Path(__file__).resolve().parents[2] / "bench" / "searcheval"


def test_reciprocal_rank_is_one_over_the_first_relevant_position_within_the_cut_off():
    assert reciprocal_rank(["a", "b", "c"], {"a"}) == 1.0
    assert reciprocal_rank(["x", "y", "b"], {"b", "c"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x", "y"], {"b"}) == 0.0
    assert reciprocal_rank(["x", "b"], {"b"}, k=1) == 0.0


def test_average_precision_at_k_divides_by_the_relevant_count_capped_at_k():
    # relevant at 1 and 3 of {a, b, c}: (1/1 + 2/3) / 3
    assert average_precision(["a", "x", "b", "y"], {"a", "b", "c"}) == pytest.approx(5 / 9)
    assert average_precision(["a", "b"], {"a", "b"}) == 1.0
    assert average_precision(["x", "y"], {"a"}) == 0.0
    # 12 relevant, the first 10 all relevant: a perfect AP@10
    relevant = [f"d{i}" for i in range(12)]
    assert average_precision(relevant, set(relevant)) == 1.0


def test_recall_counts_only_the_top_k():
    assert recall(["a", "x", "b"], {"a", "b", "c", "d"}) == 0.5
    assert recall(["x"] * 10 + ["a"], {"a"}) == 0.0


def test_score_averages_over_all_queries_and_over_the_hard_ones():
    queries = [
        {"id": "q1", "relevant": ["a"], "hard": False},
        {"id": "q2", "relevant": ["b", "c"], "hard": True},
    ]
    run = {"q1": ["a"], "q2": ["x", "b"]}  # q2: RR 1/2, AP (1/2)/2, recall 1/2
    figures = score(run, queries)
    assert figures["mrr"] == pytest.approx(0.75)
    assert figures["map"] == pytest.approx(0.625)
    assert figures["recall"] == pytest.approx(0.75)
    assert (figures["hard_mrr"], figures["hard_map"], figures["hard_recall"]) == (0.5, 0.25, 0.5)
    assert (figures["queries"], figures["hard"]) == (2, 1)
    assert score({}, queries)["mrr"] == 0.0  # a query with no answer scores zero


def test_floor_needs_every_token_as_a_substring_and_puts_title_matches_first():
    documents = [
        {"external_id": "d2", "title": "ขยะ", "summary": "", "body": "ธนาคารขยะรีไซเคิล"},
        {"external_id": "d1", "title": "น้ำ", "summary": "ธนาคารขยะ", "body": "e-Service"},
        {"external_id": "d3", "title": "ธนาคารขยะ", "summary": "", "body": ""},
    ]
    assert substring_search(documents, "ธนาคารขยะ") == ["d3", "d1", "d2"]
    assert substring_search(documents, "ขยะ E-SERVICE") == ["d1"]  # AND, case-folded
    assert substring_search(documents, "  ") == []


def test_the_judged_set_is_well_formed_and_big_enough():
    documents, queries = load_set(JUDGED_SET)
    assert problems(documents, queries) == []
    assert len(documents) >= 120
    assert len(queries) >= 60
    assert sum(1 for q in queries if q["hard"]) * 3 >= len(queries)
    assert all(d["external_id"].startswith("eval-") for d in documents)
    assert all(2560 <= d["year_be"] <= 2568 for d in documents)
    assert {d["branch"] for d in documents} == {"service", "pmqa", "participation"}


def test_problems_reports_unknown_and_duplicate_ids():
    documents = [{"external_id": "e1", "title": "t", "summary": "s", "body": "b", "year_be": 2567}]
    queries = [
        {"id": "q1", "query": "t", "relevant": ["e1", "e9"], "hard": False},
        {"id": "q1", "query": "", "relevant": [], "hard": "yes"},
    ]
    found = problems(documents, queries)
    assert "query id not unique" in found
    assert "q1: unknown relevant id e9" in found
    assert "q1: empty query" in found
    assert "q1: hard must be true or false" in found

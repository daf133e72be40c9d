"""Thai full-text search on real Thai text. The same tests run on SQLite (FTS5) and on
PostgreSQL (tsvector + GIN) in CI, so every exact expectation below is also the proof that both
engines give the same results in the same order."""

import re

import pytest

from cases import facets, search
from cases.models import SearchDocument
from cases.search import query as search_query
from tests.factories import CaseStudyFactory

from .conftest import index

pytestmark = pytest.mark.django_db


def found(text, thai_cases):
    names = {case.pk: name for name, case in thai_cases.items() if hasattr(case, "lessons")}
    return [names.get(d.case_study_id) for d in search.search_cases(search.parse(text))]


def test_word_written_without_spaces_inside_a_sentence_is_found(thai_cases):
    assert found("รอคอย", thai_cases) == ["hospital"]
    assert found("แพทย์", thai_cases) == ["hospital"]  # mid-sentence in the body
    assert found("สหกรณ์", thai_cases) == ["forest_summary"]
    # A nominalised word is found by its root, and the root by the noun.
    # forest_body has the word; the others have it inside an agency's name (sub-words, after).
    assert found("พัฒนา", thai_cases)[0] == "forest_body"
    assert "forest_body" in found("การพัฒนา", thai_cases)


def test_a_word_inside_another_ranks_after_every_whole_word_match(thai_cases):
    # Issue 13: a word written in a document finds it (the sub-word layer), but a document
    # with the whole word comes first: กัน alone and in ร่วมกัน before กันยายน (September).
    assert found("กัน", thai_cases)[:2] == ["forest_body", "forest_title"]
    whole = {d.case_study_id for d in search.search_cases(search.parse("ใหม่")) if d.tier < 3}
    assert whole == set()  # ใหม่ only inside เชียงใหม่: found, never as a whole word
    # ยายน is written inside กันยายน: found (issue 13: no lost words), by sub-words only.
    assert found("ยายน", thai_cases) == ["forest_body"]
    assert {d.tier for d in search.search_cases(search.parse("ยายน"))} <= {3, 4, 5}
    assert found("ตา", thai_cases) == []  # no ตา in ตั้งแต่, ต่อเนื่อง


def test_ranking_title_then_summary_then_body_then_award_and_year(thai_cases):
    # ป่า: title (forest_title), summary (forest_summary), body (forest_body).
    assert found("ป่า", thai_cases) == ["forest_title", "forest_summary", "forest_body"]
    # ชุมชน is in two titles: the higher award level first; then the summary hit.
    assert found("ชุมชน", thai_cases) == ["forest_body", "hospital", "forest_title"]
    # Same tier and same level: the most recent year first.
    CaseStudyFactory(title="ป่าชาวบ้านรุ่นใหม่", summary="-", year_be=2568, award_level="good")
    newer = search.search_cases(search.parse("ป่า")).first()
    index(newer.case_study) if newer else None
    newest = CaseStudyFactory(title="ป่าครอบครัว", summary="-", year_be=2569, award_level="good")
    index(newest)
    ordered = [d.case_study_id for d in search.search_cases(search.parse("ป่า"))]
    assert ordered[:2] == [newest.pk, thai_cases["forest_title"].pk]


def test_all_words_of_a_query_must_match(thai_cases):
    assert found("ป่า ผู้ป่วย", thai_cases) == []
    assert found("ป่าต้นน้ำ", thai_cases) == ["forest_summary"]
    assert found("ป่าชุมชนพื้นที่สูง", thai_cases) == ["forest_title"]


def test_mixed_thai_english_and_digits(thai_cases):
    assert found("PMQA 4.0", thai_cases) == ["forest_body"]
    assert found("pmqa", thai_cases) == ["forest_body"]
    assert found("OTOP", thai_cases) == ["forest_body"]
    assert found("3D", thai_cases) == ["forest_body"]
    assert found("PMQA 5.0", thai_cases) == []
    assert found("๔.๐", thai_cases) == ["forest_body"]  # Thai digits


def test_agency_abbreviation_with_or_without_dots(thai_cases):
    expected = ["forest_title", "forest_summary"]
    assert sorted(found("สวพส.", thai_cases)) == sorted(expected)
    assert sorted(found("สวพส", thai_cases)) == sorted(expected)


def test_non_standard_spelling_is_normalised(thai_cases):
    # เ + เ typed for แ, and the two-code-point อํา.
    assert found("แพทย์".replace("แ", "เเ"), thai_cases) == ["hospital"]


def test_a_snippet_finds_a_word_typed_in_a_non_standard_spelling(db):
    # Snippets look through the texts as written first and normalise only when that finds
    # nothing: a word typed เ + เ for แ is still found and marked, in whichever text has it.
    typed = "ทีมสหวิชาชีพลงพื้นที่ร่วมกับเเพทย์ประจำตำบลทุกสัปดาห์"
    snippet = str(search.snippet(["ไม่มีคำนั้นเลย", typed], search.parse("แพทย์")))
    assert "<mark>แพทย์</mark>" in snippet and "ประจำตำบล" in snippet
    # A text as written that holds the word wins over an earlier one that needs normalising.
    snippet = str(search.snippet([typed, "แพทย์อาสาออกหน่วย"], search.parse("แพทย์")))
    assert snippet.startswith("<mark>แพทย์</mark>อาสา")


def test_a_snippet_shows_the_same_passage_in_every_process(db):
    """Of two query words of the same length, far apart, the passage is that of the first in
    the alphabet's order (ครู before ป่า), wherever each is in the text (three pairs: the
    set's order would put all three first words first once in eight processes). It was the first in
    the set of the query's words, whose order changes with each process's string hashing:
    two web workers showed different snippets for PMQA 4.0."""
    filler = "และแหล่งอาหาร" * 40
    for later, first, text in (
        ("ป่า", "ครู", f"ชาวบ้านดูแลป่าต้นน้ำ{filler}ครูพาเด็กเก็บขยะ"),
        ("น้ำ", "ดิน", f"เก็บน้ำไว้ใช้หน้าแล้ง{filler}ปรับปรุงดินด้วยปุ๋ยหมัก"),
        ("ไก่", "ปลา", f"ชุมชนเลี้ยงไก่ไข่ขาย{filler}ขุดบ่อเลี้ยงปลาดุก"),
    ):  # fmt: skip
        snippet = str(search.snippet([text], search.parse(f"{later} {first}")))
        assert f"<mark>{first}</mark>" in snippet and f"<mark>{later}</mark>" not in snippet


def test_a_snippet_shows_the_word_as_typed_before_its_equivalents(db):
    """The passage is where the words as typed are, in any of the texts; a thesaurus
    equivalent's only where they are not (PMQA 4.0's was one with พัฒนา, a word of an
    equivalent, in the summary before the body that named PMQA)."""
    from cases.models import ThesaurusGroup

    ThesaurusGroup.objects.create(kind="synonym", terms="ป่าชุมชน\nป่าของหมู่บ้าน")
    summary = "ชาวบ้านช่วยกันดูแลป่าของหมู่บ้านมานาน" + "และแหล่งอาหาร" * 30
    body = "ต่อมาจึงจดทะเบียนเป็นป่าชุมชนตามกฎหมาย"
    snippet = str(search.snippet([summary, body], search.parse("ป่าชุมชน")))
    assert "จดทะเบียน" in snippet and "หมู่บ้าน" not in snippet
    # Without the word as typed in any text, the equivalent's passage is shown.
    snippet = str(search.snippet([summary], search.parse("ป่าชุมชน")))
    assert "<mark>" in snippet and "หมู่บ้าน" in snippet


def test_highlights_land_on_word_boundaries(thai_cases):
    case = thai_cases["forest_body"]
    snippet = str(search.snippet([case.summary, case.body], search.parse("กัน")))
    assert "<mark>กัน</mark>" in snippet
    assert "<mark>กัน</mark>ยายน" not in snippet and "กันยายน" in snippet
    # The part of a compound that was asked for is marked, not the whole compound.
    snippet = str(search.snippet([case.title], search.parse("พัฒนา")))
    assert "การ<mark>พัฒนา</mark>" in snippet
    # Snippets never start or end in the middle of a word: whole words only, with …
    long_text = "ชาวบ้านร่วมกันดูแลป่าไม้" * 20 + "เพื่อรักษาต้นน้ำ" + "และแหล่งอาหาร" * 30
    snippet = str(search.snippet([long_text], search.parse("ต้นน้ำ")))
    assert snippet.startswith("…") and snippet.endswith("…")
    core = snippet.strip("…").replace("<mark>", "").replace("</mark>", "")
    assert core in long_text
    words = re.findall(r"<mark>(.*?)</mark>", snippet)
    assert words and set(words) == {"ต้นน้ำ"}


def test_a_word_found_only_inside_a_longer_word_is_marked_there(db):
    # The segmenter keeps เทคโนโลยี whole; the sub-word layer finds เทคโน in it, and the
    # snippet shows where (and nothing in a text without it).
    query = search.parse("เทคโน")
    text = "หน่วยงานใช้เทคโนโลยีดิจิทัลช่วยบริการประชาชน"
    assert "ใช้<mark>เทคโน</mark>โลยี" in str(search.snippet(["ไม่มีคำนั้น", text], query))
    assert "ใช้<mark>เทคโน</mark>โลยี" in str(search.highlight(text, query))
    assert "<mark>" not in str(search.snippet(["ไม่มีคำนั้นเลย"], query))
    # Words asked together are one mark, not one per piece.
    marked = str(search.highlight("ชุมชนลดโลกร้อนต้นแบบ", search.parse("ลดโลกร้อน")))
    assert "<mark>ลดโลกร้อน</mark>" in marked


def test_snippet_escapes_html(db):
    case = CaseStudyFactory(title="<b>ป่า</b>", summary="<script>ป่า</script>")
    index(case)
    snippet = str(search.snippet([case.summary], search.parse("ป่า")))
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_no_result_suggests_fewer_words(thai_cases):
    query = search.parse("ป่าชุมชนยานอวกาศ")
    assert search.search_cases(query).count() == 0
    suggestions = search.suggestions(query)
    assert suggestions and suggestions[0]["count"] >= 1
    assert all(search.count(search.parse(s["q"])) for s in suggestions)
    assert any("ป่า" in s["q"] for s in suggestions)


def test_unpublished_work_is_never_found(thai_cases):
    case = thai_cases["hospital"]
    case.is_published = False
    case.save()
    # Even before the worker has updated the index, the pages only show published work...
    from django.http import QueryDict

    from cases import listing

    assert listing.cases(QueryDict("q=รอคอย")).results == []
    index(case)
    # ...and the index row is removed once the worker has run.
    assert not SearchDocument.objects.filter(case_study=case).exists()


def test_lessons_are_searchable_through_their_own_rows(thai_cases):
    docs = search.search_lessons(search.parse("สำรวจแนวเขต"))
    assert [d.lesson_id for d in docs] == [thai_cases["lesson"].pk]
    thai_cases["forest_title"].is_published = False
    thai_cases["forest_title"].save()
    assert not search.search_lessons(search.parse("สำรวจแนวเขต")).exists()


def test_quotes_and_operators_in_a_query_are_only_words(thai_cases):
    for text in ['"ป่า', "ป่า' OR 1=1 --", "ป่า AND NOT", "ป่า*", "NEAR(ป่า)", "{title_terms}:ป่า"]:
        list(search.search_cases(search.parse(text)))  # no SQL or FTS syntax error
    assert search.parse("   ").terms == []
    assert not search.search_cases(search.parse("")).exists()


def test_counting_stops_at_the_cap(thai_cases, monkeypatch):
    from django.http import QueryDict

    from cases import listing

    monkeypatch.setattr(search_query, "COUNT_CAP", 2)
    result = listing.cases(QueryDict("q=ป่า"))
    assert result.total == 2 and result.total_is_lower_bound
    assert len(result.results) == 2  # pages go as far as the counted matches
    result = listing.cases(QueryDict("q=รอคอย"))
    assert result.total == 1 and not result.total_is_lower_bound


def test_suggestions_for_a_very_long_made_up_word_stay_cheap(thai_cases):
    # Spell-correcting a 200-letter "word" once needed 24 GB; long words are not corrected.
    import resource
    import time

    query = search.parse("กข" * 100)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    assert search.suggestions(query) == []
    assert time.perf_counter() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KiB


@pytest.fixture
def forest_lessons(thai_cases):
    """Lessons where ป่า is in the title (two, on cases of different award years), only in the
    background (on the highest-ranked case) or only in the body. The fixture's own lesson has
    ป่า in its title (ป่าชุมชน) on a GOOD 2565 case."""
    from tests.factories import LessonFactory

    make = {
        "title_2566": (thai_cases["hospital"], "ทำแผนที่ป่าร่วมกับผู้สูงอายุ", "-", "-"),
        "summary_honour": (thai_cases["forest_body"], "ถอดบทเรียนศูนย์เรียนรู้",
                           "ชาวบ้านร่วมกันกำหนดแนวเขตป่าและที่ทำกิน", "-"),
        "body": (thai_cases["forest_summary"], "ถอดบทเรียนเกษตรประณีต",
                 "เกษตรกรรวมกลุ่มขายผลผลิต", "การบุกรุกป่าลดลงอย่างต่อเนื่อง"),
    }  # fmt: skip
    lessons = {"title_2565": thai_cases["lesson"]}
    for name, (case, title, background, key_process) in make.items():
        lessons[name] = LessonFactory(case_study=case, title=title, background=background,
                                      key_process=key_process)  # fmt: skip
        index(lessons[name])
    return lessons


def lesson_list(params, **kwargs):
    from django.http import QueryDict

    from cases import listing

    return listing.lessons(QueryDict(params), **kwargs)


def names_of(result, lessons):
    names = {lesson.pk: name for name, lesson in lessons.items()}
    return [names[lesson.pk] for lesson, _snippet in result.results]


def test_lesson_list_ranks_title_then_background_then_body_then_award_and_year(forest_lessons):
    expected = ["title_2566", "title_2565", "summary_honour", "body"]
    result = lesson_list("q=ป่า")
    assert names_of(result, forest_lessons) == expected
    assert result.total == 4 and not result.total_is_lower_bound
    # The same order as ranking every match in SQL.
    ranked = [d.lesson_id for d in search.search_lessons(search.parse("ป่า"))]
    assert ranked == [forest_lessons[name].pk for name in expected]
    # Pages cut across the tiers without losing or repeating a lesson.
    pages = [names_of(lesson_list("q=ป่า", page=n, per_page=3), forest_lessons) for n in (1, 2)]
    assert pages == [expected[:3], expected[3:]]
    assert names_of(lesson_list("q=ป่า", page=2, per_page=1), forest_lessons) == [expected[1]]
    # Facets still narrow the ranked list (year 2567: the honour and the body lessons).
    result = lesson_list("q=ป่า&year=2567")
    assert names_of(result, forest_lessons) == ["summary_honour", "body"]
    assert result.total == 2


def test_lesson_list_hides_lessons_of_an_unpublished_case_before_reindexing(forest_lessons):
    case = forest_lessons["title_2565"].case_study
    case.is_published = False
    case.save()
    result = lesson_list("q=ป่า")
    assert names_of(result, forest_lessons) == ["title_2566", "summary_honour", "body"]
    assert result.total == 3


def test_lesson_counting_stops_at_the_cap_like_cases(forest_lessons, monkeypatch, client):
    monkeypatch.setattr(search_query, "COUNT_CAP", 4)  # exactly at the cap: an exact count
    result = lesson_list("q=ป่า")
    assert result.total == 4 and not result.total_is_lower_bound
    monkeypatch.setattr(search_query, "COUNT_CAP", 3)
    result = lesson_list("q=ป่า")
    assert result.total == 3 and result.total_is_lower_bound
    first = ["title_2566", "title_2565", "summary_honour"]
    assert names_of(result, forest_lessons) == first
    # Past the cap the tiers are read one by one: pages keep the same order.
    pages = [names_of(lesson_list("q=ป่า", page=n, per_page=1), forest_lessons) for n in (1, 2, 3)]
    assert pages == [[name] for name in first]
    second = lesson_list("q=ป่า", page=2, per_page=2)
    assert names_of(second, forest_lessons) == first[2:] and second.page.paginator.num_pages == 2
    page = client.get("/lessons/", {"q": "ป่า"}).content.decode()
    assert "พบมากกว่า 3 บทเรียนสำหรับ “ป่า”" in page
    data = client.get("/api/v1/lessons/", {"q": "ป่า"}).json()
    assert data["count"] == 3 and data["count_is_lower_bound"] is True
    assert [r["id"] for r in data["results"]] == [forest_lessons[n].pk for n in first]
    data = client.get("/api/v1/lessons/", {"q": "แนวเขต"}).json()
    assert data["count"] == 2 and data["count_is_lower_bound"] is False


def test_searching_leaves_the_planner_settings_as_they_were(forest_lessons):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")
    lesson_list("q=ป่า")  # counted and ranked with sequential scans and merge joins off
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)
        cursor.execute("SHOW enable_mergejoin")
        assert cursor.fetchone() == ("on",)


def _seqscan() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        return cursor.fetchone()[0]


def test_a_nested_index_lookup_leaves_the_outer_ones_settings(db):
    """A count first decides how to bound its query, which looks words up inside the count's
    own block: the inner block must not reset the planner settings the count runs with (a
    suggestion's count once read every row in id order)."""
    from django.db import connection

    from cases.search.query import index_lookups

    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")

    with index_lookups():
        with index_lookups():
            assert _seqscan() == "off"
        assert _seqscan() == "off"
    assert _seqscan() == "on"


@pytest.mark.django_db(transaction=True)
def test_an_index_lookup_of_its_own_ends_its_settings_with_its_commit():
    """Outside a transaction, the block's settings end with its own commit: nothing is sent to
    reset them (one round trip fewer per search query), and they are back all the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.search.query import index_lookups

    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")

    with CaptureQueriesContext(connection) as queries:
        with index_lookups():
            assert _seqscan() == "off"
        assert _seqscan() == "on"
        facets.CASES.tally(SearchDocument.objects.filter(kind="case"), {})  # its own SET LOCAL
        assert _seqscan() == "on"
    assert not any(q["sql"].startswith("RESET") for q in queries.captured_queries)

"""Issue 13: the sub-word layer, the thesaurus and suggestions. Run on SQLite and on
PostgreSQL (DATABASE_URL=postgres://…): the same expectations hold on both engines."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import search
from cases.models import SearchWord, ThesaurusGroup
from cases.search.engines import engine
from tests.factories import CaseStudyFactory

from .conftest import index

pytestmark = pytest.mark.django_db


def case(title, body="", summary="-"):
    made = CaseStudyFactory(title=title, summary=summary, body=body)
    index(made)
    return made


def found(text):
    return [d.case_study_id for d in search.search_cases(search.parse(text))]


def test_a_word_the_segmenter_cut_differently_in_the_document_is_found():
    search.forget_dictionary()
    sunning = case("ชาวบ้านตากลมริมน้ำ")  # the segmenter keeps ตากลม whole here
    query = search.parse("กลม")
    by_words = search.search_cases(query, ranked=False).filter(engine().words(query.groups, 2))
    assert not by_words.exists()  # the word layer alone loses it
    assert found("กลม") == [sunning.pk]  # the sub-word layer finds it as written


def test_whole_words_rank_above_sub_words_and_title_above_body():
    search.forget_dictionary()
    inside_title = case("การตากลมริมน้ำ")
    whole_body = case("ศูนย์เรียนรู้", body="ปั้นดินให้กลม")
    whole_title = case("ขนมกลม")
    assert found("กลม") == [whole_title.pk, whole_body.pk, inside_title.pk]


def test_a_word_found_whole_in_more_than_the_cap_is_not_looked_for_inside_words(monkeypatch):
    # The bound that keeps a common word fast (cases/search/query.py `bounded`): with the cap
    # at 2, กลม whole in three documents no longer looks inside ตากลม; below the cap it does.
    search.forget_dictionary()
    monkeypatch.setattr("cases.search.query.COUNT_CAP", 2)
    sunning = case("ชาวบ้านตากลมริมน้ำ")
    wholes = [case("ขนมกลม"), case("ศูนย์เรียนรู้", body="ปั้นดินให้กลม")]
    assert sorted(found("กลม")) == sorted([*(w.pk for w in wholes), sunning.pk])
    wholes.append(case("โต๊ะกลม"))
    search.bump_generation()  # the decision is kept per index generation
    assert sorted(found("กลม")) == sorted(w.pk for w in wholes)
    # A query's other, rarer word still looks inside words.
    assert found("ตากลม ริมน้ำ") == [sunning.pk]


def test_suggestions_count_no_further_than_the_cap(monkeypatch):
    search.forget_dictionary()
    monkeypatch.setattr("cases.search.query.COUNT_CAP", 2)
    for n in range(4):
        case(f"ป่าชุมชนแห่งที่ {n}")
    offered = search.suggestions(search.parse("ป่าชุมชน ยานอวกาศ"))
    fewer = [s for s in offered if s["reason"] == "fewer"]
    assert fewer and fewer[0]["count"] == 2 and fewer[0]["count_is_lower_bound"]


def test_a_short_name_finds_the_full_one():
    search.forget_dictionary()
    surat = case("ท่องเที่ยวชุมชนจังหวัดสุราษฎร์ธานี")
    korat = case("ตลาดเกษตรกรนครราชสีมา")
    assert found("สุราษฎร์") == [surat.pk]
    assert found("โคราช") == [korat.pk]  # the seeded thesaurus: โคราช ↔ นครราชสีมา
    assert "นครราชสีมา" in search.parse("โคราช").also


def verified_admin(client):
    user = get_user_model().objects.create_superuser("thesaurus-admin", "t@example.org", "x")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_a_thesaurus_edit_in_the_admin_changes_results(client):
    clinic = case("คลินิกหมอครอบครัวใกล้บ้าน")
    assert found("หมอประจำตัว") == []
    response = verified_admin(client).post(
        "/admin/cases/thesaurusgroup/add/",
        {"kind": "synonym", "terms": "หมอประจำตัว|หมอครอบครัว"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert found("หมอประจำตัว") == [clinic.pk]
    assert search.parse("หมอประจำตัว").also == ["หมอครอบครัว"]
    group = ThesaurusGroup.objects.get(terms="หมอประจำตัว|หมอครอบครัว")
    assert group.history.count() == 1  # staff edits are recorded
    client.post(f"/admin/cases/thesaurusgroup/{group.pk}/delete/", {"post": "yes"})
    assert found("หมอประจำตัว") == []


def test_a_thesaurus_group_needs_two_words_with_a_thai_message(client):
    response = verified_admin(client).post(
        "/admin/cases/thesaurusgroup/add/", {"kind": "synonym", "terms": "หมอ"}
    )
    assert response.status_code == 200
    assert "ใส่คำอย่างน้อยสองคำ" in response.content.decode()


def test_suggestions_for_a_misspelt_word_are_whole_indexed_words():
    search.forget_dictionary()
    hospital = case("โรงพยาบาลชุมชนลดเวลารอคอย")
    assert found("โรงพญาบาล") == []
    offered = search.suggestions(search.parse("โรงพญาบาล"))
    assert offered and offered[0]["q"] == "โรงพยาบาล"
    for suggestion in offered:
        words = search.parse(suggestion["q"]).terms
        assert SearchWord.objects.filter(word__in=words).count() == len(set(words))
    assert found(offered[0]["q"]) == [hospital.pk]


def test_hostile_input_is_bounded_in_queries(django_assert_max_num_queries):
    case("โรงพยาบาลชุมชน")
    hostile = ("ก่" * 3000) + " " + ("Ωx1" * 2000) + ("โรงพญาบาล " * 500)
    with django_assert_max_num_queries(20):
        query = search.parse(hostile)
        assert len(query.text) <= 200 and len(query.groups) <= 12
        list(search.search_cases(query)[:10])
        search.suggestions(query)


def test_the_words_also_searched_are_shown_on_the_pages_and_in_the_api(client):
    from tests.factories import LessonFactory

    search.forget_dictionary()
    korat = case("ตลาดเกษตรกรนครราชสีมา")
    lesson = LessonFactory(case_study=korat, title="บทเรียนตลาดนครราชสีมา")
    index(lesson)
    line = "ค้นหาคำที่เกี่ยวข้องด้วย:"
    for url in ("/cases/", "/lessons/"):
        page = client.get(url, {"q": "โคราช"}).content.decode()
        assert line in page and "นครราชสีมา" in page.split(line, 1)[1].split("</p>", 1)[0]
        assert line not in client.get(url, {"q": "ตลาด"}).content.decode()
    fragment = client.get("/cases/", {"q": "โคราช"}, HTTP_HX_REQUEST="true").content.decode()
    assert line in fragment and "<html" not in fragment
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Also searched:" in client.get("/cases/", {"q": "โคราช"}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    for url, expected in (("/api/v1/cases/", korat.pk), ("/api/v1/lessons/", lesson.pk)):
        data = client.get(url, {"q": "โคราช"}).json()
        assert "นครราชสีมา" in data["also_searched"]
        assert [r["id"] for r in data["results"]] == [expected]
        assert client.get(url).json()["also_searched"] == []


def test_also_searched_is_a_documented_required_field_of_the_search_lists(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for name in ("PaginatedCaseHitList", "PaginatedLessonList"):
        page = schema["components"]["schemas"][name]
        assert page["properties"]["also_searched"]["items"] == {"type": "string"}
        assert "also_searched" in page["required"]


def test_seed_demo_puts_back_the_seeded_thesaurus_once(settings):
    from django.core.management import call_command

    from cases.search.thesaurus import read_seed

    settings.DEBUG = True
    ThesaurusGroup.objects.all().delete()  # a demo database made before migration 0010
    call_command("seed_demo", verbosity=0)
    seeded = ThesaurusGroup.objects.count()
    assert seeded == len({"|".join(terms) for _, terms in read_seed()}) >= 150
    call_command("seed_demo", verbosity=0)
    assert ThesaurusGroup.objects.count() == seeded
    assert "นครราชสีมา" in search.parse("โคราช").also


def test_a_common_word_stays_common_after_a_publish(monkeypatch):
    # Publishing one more case makes the index generation new, but a word in more than
    # COUNT_CAP documents is not counted again: the answer is kept (an hour), not the work.
    search.forget_dictionary()
    monkeypatch.setattr("cases.search.query.COUNT_CAP", 2)
    for title in ("ขนมกลม", "โต๊ะกลม", "ลูกบอลกลม"):
        case(title)
    first = search.bounded(search.parse("กลม"), search.Kind.CASE)
    assert first.groups[0].alternatives[0].pieces == ()
    case("จานกลม")
    search.bump_generation()
    with CaptureQueriesContext(connection) as queries:
        query = search.bounded(search.parse("กลม"), search.Kind.CASE)
    assert query.groups[0].alternatives[0].pieces == ()  # still not looked for inside words
    assert not any("LIMIT 3" in q["sql"] for q in queries)  # and not counted again


@pytest.mark.parametrize("read_whole_up_to", [0, 10_000], ids=["walked", "read-whole"])
def test_pages_beyond_the_cap_keep_the_ranked_order(monkeypatch, read_whole_up_to):
    """Past COUNT_CAP matches a page is read tier by tier (cases/search/query.py RankedPages),
    each tier either walked in boost order or read whole through the index and left out of
    the next ones by its ids: every page, either way, is the ranked order's slice."""
    from cases.search import query as search_query

    search.forget_dictionary()
    monkeypatch.setattr(search_query, "COUNT_CAP", 2)
    monkeypatch.setattr(search_query, "TIER_ROWS", read_whole_up_to)
    monkeypatch.setattr(
        search_query.RankedPages, "_read_whole_up_to", lambda self, need: read_whole_up_to
    )
    # Past the cap a word is no longer looked for inside words; here it is, so that the
    # sub-word tiers are read as well.
    monkeypatch.setattr(search_query, "_whole_count", lambda group, kind: 1)
    levels = ["honour", "outstanding", "good"]
    for n in range(9):
        made = CaseStudyFactory(
            title=["ขนมกลม", "ศูนย์เรียนรู้", "การตากลมริมน้ำ"][n % 3],
            summary="ปั้นดินให้กลม" if n % 2 else "-",
            body="กลม" if n % 4 == 0 else "ตากลม",
            award_level=levels[n % 3],
            year_be=2560 + n % 4,
        )
        index(made)
    query = search.parse("กลม")
    ranked = [d.case_study_id for d in search.search_cases(query)]
    assert len(ranked) == 9
    pages = search_query.RankedPages(query, kind=search.Kind.CASE)
    assert pages.count() == 2 and pages.capped
    for start, stop in [(0, 2), (0, 4), (3, 7), (6, 9), (0, 9)]:
        assert pages[start:stop] == ranked[start:stop], (start, stop)


def test_a_long_pieces_candidates_are_a_few_trigrams_spread_over_all_of_it():
    # PostgreSQL looks up at most CANDIDATE_GRAMS trigrams per way of writing a long piece
    # (a thesaurus phrase), from its start to its end, each once; a short piece, all of them.
    from cases.search.engines.postgresql import CANDIDATE_GRAMS, _spread

    phrase = "การพัฒนาคุณภาพการบริหารจัดการภาครัฐ"
    grams = _spread([phrase])
    assert len(grams) == CANDIDATE_GRAMS == len(set(grams))
    assert grams[0] == phrase[:3] and grams[-1] == phrase[-3:]
    assert all(g in phrase for g in grams)
    assert _spread(["ธนาคารขยะ"]) == ["ธนา", "นาค", "าคา", "คาร", "ารข", "รขย", "ขยะ"]

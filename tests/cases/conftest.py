import pytest

from cases import search
from tests.factories import AgencyFactory, CaseStudyFactory, LessonFactory, TopicFactory, province


def index(*objects):
    """What the worker does after commit (tests run inside a transaction that never commits)."""
    for obj in objects:
        if hasattr(obj, "lessons"):
            search.index_case(obj.pk)
        else:
            search.index_lesson(obj.pk)


@pytest.fixture
def thai_cases(db):
    """A small known set of model projects written in ordinary Thai (no spaces between words)."""
    search.forget_dictionary()
    agency = AgencyFactory(name_th="สถาบันวิจัยและพัฒนาพื้นที่สูง", abbreviation="สวพส.")
    forests = TopicFactory(name_th="ป่าไม้และสิ่งแวดล้อม", slug="forests")
    hospital = CaseStudyFactory(
        title="ลดเวลารอคอยของผู้ป่วยในโรงพยาบาลชุมชน",
        summary="โรงพยาบาลจัดระบบนัดหมายล่วงหน้าผ่านแอปพลิเคชันและคัดกรองอาการที่บ้าน",
        body="ผู้ป่วยเคยต้องมารอตั้งแต่เช้ามืดจนถึงบ่ายเพื่อพบแพทย์เพียงไม่กี่นาที",
        year_be=2566,
        award_level="good",
        provinces=[province("TH-40")],
    )
    forest_title = CaseStudyFactory(
        title="ป่าชุมชนสร้างรายได้บนพื้นที่สูง",
        summary="ชาวบ้านร่วมกันกำหนดแนวเขตป่าและที่ทำกินด้วยตนเอง",
        body="การบุกรุกป่าลดลงอย่างต่อเนื่องหลังจากมีข้อตกลงของหมู่บ้าน",
        agency=agency,
        year_be=2565,
        award_level="good",
        provinces=[province("TH-50")],
    )
    forest_summary = CaseStudyFactory(
        title="เกษตรประณีตมูลค่าสูงของเกษตรกรบนดอย",
        summary="เกษตรกรเปลี่ยนจากพืชไร่เชิงเดี่ยวมาดูแลป่าต้นน้ำร่วมกับการปลูกผักเมืองหนาว",
        body="รายได้ของครัวเรือนหมุนเวียนตลอดปีจากผลผลิตที่ขายผ่านสหกรณ์",
        agency=agency,
        year_be=2567,
        award_level="outstanding",
        provinces=[province("TH-50")],
    )
    forest_body = CaseStudyFactory(
        title="ศูนย์เรียนรู้ชุมชนเพื่อการพัฒนาที่ยั่งยืน",
        summary="ชุมชนรวมกลุ่มกันถ่ายทอดความรู้ให้เยาวชนในเดือนกันยายนของทุกปี",
        body="นักเรียนฝึกทำแผนที่ป่าร่วมกับผู้สูงอายุและใช้เครื่องพิมพ์ 3D ทำสื่อการสอน "
        "ตามเกณฑ์ PMQA 4.0 และต่อยอดสินค้า OTOP ในจังหวัดเชียงใหม่",
        year_be=2567,
        award_level="honour",
        provinces=[province("TH-50")],
    )
    forest_title.topics.set([forests])
    forest_body.topics.set([forests])
    lesson = LessonFactory(
        case_study=forest_title,
        title="ถอดบทเรียนการจัดการป่าชุมชนโดยคนในพื้นที่",
        background="หมู่บ้านบนดอยเคยขัดแย้งเรื่องแนวเขตป่ามานาน",
        key_process="ประชุมหมู่บ้านและเดินสำรวจแนวเขตร่วมกัน",
        success_factors="ผู้นำชุมชนเข้มแข็งและข้อมูลแผนที่ที่ทุกคนเห็นตรงกัน",
    )
    cases = {
        "hospital": hospital,
        "forest_title": forest_title,
        "forest_summary": forest_summary,
        "forest_body": forest_body,
    }
    index(*cases.values())
    return {**cases, "lesson": lesson, "agency": agency, "topic": forests}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Facet counts are cached per index generation: each test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

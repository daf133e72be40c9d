"""Reference data that every installation has: the 77 provinces (ISO 3166-2:TH) and the
17 SDGs. Loaded by migrations, so tests and fresh databases have them too."""

# (code, Thai name, English name, region)
PROVINCES = [
    ("TH-10", "กรุงเทพมหานคร", "Bangkok", "central"),
    ("TH-11", "สมุทรปราการ", "Samut Prakan", "central"),
    ("TH-12", "นนทบุรี", "Nonthaburi", "central"),
    ("TH-13", "ปทุมธานี", "Pathum Thani", "central"),
    ("TH-14", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya", "central"),
    ("TH-15", "อ่างทอง", "Ang Thong", "central"),
    ("TH-16", "ลพบุรี", "Lopburi", "central"),
    ("TH-17", "สิงห์บุรี", "Sing Buri", "central"),
    ("TH-18", "ชัยนาท", "Chai Nat", "central"),
    ("TH-19", "สระบุรี", "Saraburi", "central"),
    ("TH-20", "ชลบุรี", "Chonburi", "east"),
    ("TH-21", "ระยอง", "Rayong", "east"),
    ("TH-22", "จันทบุรี", "Chanthaburi", "east"),
    ("TH-23", "ตราด", "Trat", "east"),
    ("TH-24", "ฉะเชิงเทรา", "Chachoengsao", "east"),
    ("TH-25", "ปราจีนบุรี", "Prachinburi", "east"),
    ("TH-26", "นครนายก", "Nakhon Nayok", "central"),
    ("TH-27", "สระแก้ว", "Sa Kaeo", "east"),
    ("TH-30", "นครราชสีมา", "Nakhon Ratchasima", "northeast"),
    ("TH-31", "บุรีรัมย์", "Buriram", "northeast"),
    ("TH-32", "สุรินทร์", "Surin", "northeast"),
    ("TH-33", "ศรีสะเกษ", "Sisaket", "northeast"),
    ("TH-34", "อุบลราชธานี", "Ubon Ratchathani", "northeast"),
    ("TH-35", "ยโสธร", "Yasothon", "northeast"),
    ("TH-36", "ชัยภูมิ", "Chaiyaphum", "northeast"),
    ("TH-37", "อำนาจเจริญ", "Amnat Charoen", "northeast"),
    ("TH-38", "บึงกาฬ", "Bueng Kan", "northeast"),
    ("TH-39", "หนองบัวลำภู", "Nong Bua Lamphu", "northeast"),
    ("TH-40", "ขอนแก่น", "Khon Kaen", "northeast"),
    ("TH-41", "อุดรธานี", "Udon Thani", "northeast"),
    ("TH-42", "เลย", "Loei", "northeast"),
    ("TH-43", "หนองคาย", "Nong Khai", "northeast"),
    ("TH-44", "มหาสารคาม", "Maha Sarakham", "northeast"),
    ("TH-45", "ร้อยเอ็ด", "Roi Et", "northeast"),
    ("TH-46", "กาฬสินธุ์", "Kalasin", "northeast"),
    ("TH-47", "สกลนคร", "Sakon Nakhon", "northeast"),
    ("TH-48", "นครพนม", "Nakhon Phanom", "northeast"),
    ("TH-49", "มุกดาหาร", "Mukdahan", "northeast"),
    ("TH-50", "เชียงใหม่", "Chiang Mai", "north"),
    ("TH-51", "ลำพูน", "Lamphun", "north"),
    ("TH-52", "ลำปาง", "Lampang", "north"),
    ("TH-53", "อุตรดิตถ์", "Uttaradit", "north"),
    ("TH-54", "แพร่", "Phrae", "north"),
    ("TH-55", "น่าน", "Nan", "north"),
    ("TH-56", "พะเยา", "Phayao", "north"),
    ("TH-57", "เชียงราย", "Chiang Rai", "north"),
    ("TH-58", "แม่ฮ่องสอน", "Mae Hong Son", "north"),
    ("TH-60", "นครสวรรค์", "Nakhon Sawan", "north"),
    ("TH-61", "อุทัยธานี", "Uthai Thani", "north"),
    ("TH-62", "กำแพงเพชร", "Kamphaeng Phet", "north"),
    ("TH-63", "ตาก", "Tak", "west"),
    ("TH-64", "สุโขทัย", "Sukhothai", "north"),
    ("TH-65", "พิษณุโลก", "Phitsanulok", "north"),
    ("TH-66", "พิจิตร", "Phichit", "north"),
    ("TH-67", "เพชรบูรณ์", "Phetchabun", "north"),
    ("TH-70", "ราชบุรี", "Ratchaburi", "west"),
    ("TH-71", "กาญจนบุรี", "Kanchanaburi", "west"),
    ("TH-72", "สุพรรณบุรี", "Suphan Buri", "central"),
    ("TH-73", "นครปฐม", "Nakhon Pathom", "central"),
    ("TH-74", "สมุทรสาคร", "Samut Sakhon", "central"),
    ("TH-75", "สมุทรสงคราม", "Samut Songkhram", "central"),
    ("TH-76", "เพชรบุรี", "Phetchaburi", "west"),
    ("TH-77", "ประจวบคีรีขันธ์", "Prachuap Khiri Khan", "west"),
    ("TH-80", "นครศรีธรรมราช", "Nakhon Si Thammarat", "south"),
    ("TH-81", "กระบี่", "Krabi", "south"),
    ("TH-82", "พังงา", "Phang Nga", "south"),
    ("TH-83", "ภูเก็ต", "Phuket", "south"),
    ("TH-84", "สุราษฎร์ธานี", "Surat Thani", "south"),
    ("TH-85", "ระนอง", "Ranong", "south"),
    ("TH-86", "ชุมพร", "Chumphon", "south"),
    ("TH-90", "สงขลา", "Songkhla", "south"),
    ("TH-91", "สตูล", "Satun", "south"),
    ("TH-92", "ตรัง", "Trang", "south"),
    ("TH-93", "พัทลุง", "Phatthalung", "south"),
    ("TH-94", "ปัตตานี", "Pattani", "south"),
    ("TH-95", "ยะลา", "Yala", "south"),
    ("TH-96", "นราธิวาส", "Narathiwat", "south"),
]

SDGS = [
    (1, "ขจัดความยากจน", "No poverty"),
    (2, "ขจัดความหิวโหย", "Zero hunger"),
    (3, "การมีสุขภาวะที่ดี", "Good health and well-being"),
    (4, "การศึกษาที่มีคุณภาพ", "Quality education"),
    (5, "ความเท่าเทียมทางเพศ", "Gender equality"),
    (6, "น้ำสะอาดและการสุขาภิบาล", "Clean water and sanitation"),
    (7, "พลังงานสะอาดที่เข้าถึงได้", "Affordable and clean energy"),
    (8, "งานที่มีคุณค่าและการเติบโตทางเศรษฐกิจ", "Decent work and economic growth"),
    (9, "อุตสาหกรรม นวัตกรรม และโครงสร้างพื้นฐาน", "Industry, innovation and infrastructure"),
    (10, "ลดความเหลื่อมล้ำ", "Reduced inequalities"),
    (11, "เมืองและชุมชนที่ยั่งยืน", "Sustainable cities and communities"),
    (12, "การผลิตและการบริโภคที่ยั่งยืน", "Responsible consumption and production"),
    (13, "การรับมือการเปลี่ยนแปลงสภาพภูมิอากาศ", "Climate action"),
    (14, "ทรัพยากรทางทะเล", "Life below water"),
    (15, "ระบบนิเวศบนบก", "Life on land"),
    (16, "สังคมสงบสุข ยุติธรรม และสถาบันที่เข้มแข็ง", "Peace, justice and strong institutions"),
    (17, "ความร่วมมือเพื่อการพัฒนาที่ยั่งยืน", "Partnerships for the goals"),
]


def load_reference_data(Province, SDG) -> None:
    """Create or update the provinces and SDGs (model classes passed in, so a migration
    can hand over its historical models)."""
    for code, name_th, name_en, region in PROVINCES:
        Province.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "region": region}
        )
    for number, name_th, name_en in SDGS:
        SDG.objects.update_or_create(
            number=number, defaults={"name_th": name_th, "name_en": name_en}
        )


def restore_reference_data(sender, using="default", **kwargs) -> None:
    """post_migrate handler. `flush` (run after every transactional test, and by hand) empties
    every table and then sends post_migrate, as it does to recreate content types: put the
    reference data back too. Cheap when nothing is missing."""
    from django.db.utils import OperationalError, ProgrammingError

    from portal.agencies.models import SDG, Province

    try:
        if Province.objects.using(using).count() == len(PROVINCES) and SDG.objects.using(
            using
        ).count() == len(SDGS):
            return
    except (OperationalError, ProgrammingError):  # tables not created yet (migrating back)
        return
    load_reference_data(Province, SDG)

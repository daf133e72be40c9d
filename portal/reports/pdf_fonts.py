"""The Sarabun Thai fonts the PDFs embed, made so that their text layer is the Thai printed.

HarfBuzz always splits SARA AM (ำ) into NIKHAHIT + SARA AA and moves the NIKHAHIT before a
tone mark (น้ำ → น ํ ้ า; Sarabun then joins ํ ้ into one glyph). WeasyPrint writes the PDF's
ToUnicode map one glyph → one text, taken the first time the glyph is drawn: the whole
cluster's text goes to the cluster's last glyph (า) and nothing to the others. So the text
layer depended on which word came first — "จำนวน" read "จานวน", or "การ" read "กำร" and
"น้ำ" read "นำ".

The fix is in the font: one more GSUB lookup, applied after Sarabun's own, joins what HarfBuzz
split back into a single glyph per cluster — ํ า → ำ (the font's own precomposed glyph) and
ํ่ า … ํ๋ า (and their narrow forms beside tall consonants) → a composite of the same two
glyphs. A cluster is then one glyph, whose text is exactly the cluster's: ำ, or the tone
mark + ำ. The outlines are Sarabun's (components, nothing redrawn); the web fonts are
untouched. Rebuild with `.venv/bin/python -m portal.reports.pdf_fonts`.
"""

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
OUT_DIR = FONT_DIR / "pdf"
WEIGHTS = (400, 700)
TONES = ("uni0E48", "uni0E49", "uni0E4A", "uni0E4B")


def pdf_font_path(weight: int) -> Path:
    return OUT_DIR / f"sarabun-thai-{weight}-pdf.ttf"


def build(source: Path, target: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables import otTables
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    font = TTFont(source)
    font.flavor = None
    glyf, hmtx = font["glyf"], font["hmtx"]
    aa = "uni0E32"
    advance = hmtx[aa][0]

    def composite(name: str, parts: list[str]) -> str:
        if name in glyf:
            return name
        glyph = Glyph()
        glyph.components = []
        for part in parts:
            component = GlyphComponent()
            component.glyphName, component.x, component.y, component.flags = part, 0, 0, 0
            glyph.components.append(component)
        glyph.numberOfContours = -1
        glyf[name] = glyph  # also appends the name to the glyph order
        glyph.recalcBounds(glyf)
        hmtx[name] = (advance, glyph.xMin)
        return name

    ligatures: dict[str, list] = {}

    def join(first: str, into: str):
        if first not in glyf:
            return
        ligature = otTables.Ligature()
        ligature.Component, ligature.LigGlyph, ligature.CompCount = [aa], into, 2
        ligatures.setdefault(first, []).append(ligature)

    join("uni0E4D", "uni0E33")
    join("uni0E4D.narrow", composite("uni0E33.narrow", ["uni0E4D.narrow", aa]))
    for tone in TONES:
        for suffix in ("", ".narrow"):
            marks = f"uni0E4D{tone[3:]}{suffix}"
            if marks in glyf:
                join(marks, composite(f"{marks}_uni0E32", [marks, aa]))

    subtable = otTables.LigatureSubst()
    subtable.ligatures = ligatures
    lookup = otTables.Lookup()
    lookup.LookupType, lookup.LookupFlag, lookup.SubTable = 4, 0, [subtable]
    lookup.SubTableCount = 1
    gsub = font["GSUB"].table
    gsub.LookupList.Lookup.append(lookup)
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    index = len(gsub.LookupList.Lookup) - 1
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex.append(index)
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    for ligature_list in ligatures.values():
        for ligature in ligature_list:
            classes[ligature.LigGlyph] = 1  # a base glyph, like SARA AA
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


def main() -> None:
    for weight in WEIGHTS:
        build(FONT_DIR / f"sarabun-thai-{weight}-normal.woff2", pdf_font_path(weight))
        print(pdf_font_path(weight))


if __name__ == "__main__":
    main()

"""Vendors the map of Thailand's provinces drawn on the case pages (cases/maps/).

Source: the npm package @svg-maps/thailand 2.0.0 (CC BY 4.0; based on MapSVG's map of
Thailand), unpacked with `npm pack @svg-maps/thailand && tar xzf svg-maps-thailand-*.tgz`:

    python scripts/vendor_province_map.py package/index.js

Writes cases/maps/thailand_provinces.json: the viewBox and, per ISO 3166-2:TH code (the
portal's Province.code), the outline's path as the package draws it (relative coordinates:
rounding them would add up along an outline).
The package names provinces in English and ids them by HASC: they are matched to the
portal's provinces by English name, with the package's other spellings listed below."""

import json
import sys
from pathlib import Path

from portal.agencies.reference import PROVINCES

OTHER_SPELLINGS = {
    "Lop Buri": "Lopburi",
    "Chon Buri": "Chonburi",
    "Prachin Buri": "Prachinburi",
    "Si Sa Ket": "Sisaket",
    "Phangnga": "Phang Nga",
    "Nong Bua Lam Phu": "Nong Bua Lamphu",
}
NOT_A_PROVINCE = {"lksg"}  # Songkhla Lake, drawn in the package as a shape of its own
OUT = Path(__file__).resolve().parent.parent / "cases" / "maps" / "thailand_provinces.json"


def main(source: str) -> None:
    text = Path(source).read_text(encoding="utf-8")
    data = json.loads(text.removeprefix("export default").strip().rstrip(";"))
    codes = {name_en: code for code, _th, name_en, _region in PROVINCES}
    paths = {}
    for location in data["locations"]:
        if location["id"] in NOT_A_PROVINCE:
            continue
        name = OTHER_SPELLINGS.get(location["name"], location["name"])
        paths[codes[name]] = location["path"]
    missing = set(codes.values()) - set(paths)
    if missing:
        raise SystemExit(f"no outline for {sorted(missing)}")
    document = {
        "source": "@svg-maps/thailand 2.0.0, CC BY 4.0, based on MapSVG (mapsvg.com)",
        "viewBox": data["viewBox"],
        "provinces": dict(sorted(paths.items())),
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])

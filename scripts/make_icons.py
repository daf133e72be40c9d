"""Draw the portal's favicon and app icons into static/img/ (run again after changing the
design: `.venv/bin/python scripts/make_icons.py`).

One design, written twice from the same coordinates: as SVG for browsers that take it, and
drawn with Pillow (which cannot rasterise SVG) for the PNG sizes, the ICO and the web
manifest's icons. A gold star (the award) over a white ribbon on the portal's blue."""

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "img"
BLUE, GOLD, WHITE = "#0b4f8a", "#f2c14e", "#ffffff"
SIZE = 512  # the design's own units


def star(cx=256, cy=228, outer=158, inner=64) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


RIBBON = (136, 404, 376, 440)  # left, top, right, bottom; rounded ends
CORNER = 96


def svg() -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in star())
    left, top, right, bottom = RIBBON
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
        f"<title>ผลงานเลิศรัฐ</title>"
        f'<rect width="{SIZE}" height="{SIZE}" rx="{CORNER}" fill="{BLUE}"/>'
        f'<polygon points="{points}" fill="{GOLD}"/>'
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}"'
        f' rx="{(bottom - top) // 2}" fill="{WHITE}"/></svg>\n'
    )


def png(pixels: int, maskable: bool = False) -> Image.Image:
    """Drawn 4 times larger and reduced, for smooth edges. A maskable icon fills its square
    and keeps the design inside the middle 80% (the platform cuts its own shape)."""
    scale = pixels * 4 / SIZE
    big = Image.new("RGBA", (pixels * 4, pixels * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    if maskable:
        draw.rectangle((0, 0, big.width, big.height), fill=BLUE)
        shrink, shift = 0.8, SIZE * 0.1
    else:
        draw.rounded_rectangle((0, 0, big.width - 1, big.height - 1), CORNER * scale, fill=BLUE)
        shrink, shift = 1.0, 0.0

    def at(x, y):
        return ((x * shrink + shift) * scale, (y * shrink + shift) * scale)

    draw.polygon([at(x, y) for x, y in star()], fill=GOLD)
    left, top, right, bottom = RIBBON
    (x0, y0), (x1, y1) = at(left, top), at(right, bottom)
    draw.rounded_rectangle((x0, y0, x1, y1), (y1 - y0) / 2, fill=WHITE)
    return big.resize((pixels, pixels), Image.Resampling.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg(), encoding="utf-8")
    for pixels in (32, 192, 512):
        png(pixels).save(OUT / f"icon-{pixels}.png", optimize=True)
    # iOS rounds the corners itself and would show transparent ones black.
    png(180, maskable=True).save(OUT / "icon-180.png", optimize=True)
    png(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    png(48).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()

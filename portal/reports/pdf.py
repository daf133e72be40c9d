"""PDFs from Django templates with WeasyPrint, in Thai, without the network.

Fonts: the Sarabun files the portal serves (static/fonts, OFL) are declared with file://
URLs, one family per subset — WeasyPrint mixes up glyphs when two files share one family
name with different unicode-ranges — and Debian's fonts-thai-tlwg (Laksaman, a Sarabun
design) as the fallback. Pango/HarfBuzz shape Thai, so tone marks and vowels above and
below consonants stack correctly. Images and stylesheets are read only from the portal's
static folder and the build's own folder of checked image copies (portal/reports/images.py: an
upload is never decoded by WeasyPrint as it was sent); any other URL (http, https, the media
folder, a path outside) is refused, never fetched.
"""

import logging
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string

from .pdf_fonts import pdf_font_path

# fontTools logs every woff2 it decompresses at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FAMILIES = '"Sarabun Latin", "Sarabun Thai", "Laksaman", "Garuda", sans-serif'


def font_faces() -> str:
    faces = []
    for subset in ("latin", "thai"):
        for weight in (400, 700):
            # Thai: the PDF build of the subset (portal/reports/pdf_fonts.py), whose glyphs
            # for ำ keep the text layer exactly what was printed.
            path = pdf_font_path(weight) if subset == "thai" else None
            if path is None or not path.exists():
                path = FONT_DIR / f"sarabun-{subset}-{weight}-normal.woff2"
            if path.exists():
                kind = "truetype" if path.suffix == ".ttf" else "woff2"
                faces.append(
                    f'@font-face {{ font-family: "Sarabun {subset.title()}"; '
                    f'src: url("{path.as_uri()}") format("{kind}"); font-weight: {weight}; }}'
                )
    return "\n".join(faces) + f"\nhtml {{ font-family: {FONT_FAMILIES}; }}\n"


def local_only_fetcher(url: str, *args, image_dir: Path | None = None, **kwargs):
    """A WeasyPrint url_fetcher that reads files under static/ (and the build's `image_dir`
    of checked copies), nothing else."""
    from weasyprint.urls import default_url_fetcher

    parsed = urlparse(url)
    if parsed.scheme == "data":
        return default_url_fetcher(url, *args, **kwargs)
    if parsed.scheme != "file":
        raise ValueError(f"refused to fetch {parsed.scheme}: URL in a PDF")
    path = Path(unquote(parsed.path)).resolve()
    roots = [FONT_DIR.parent.resolve()] + ([image_dir.resolve()] if image_dir else [])
    if not any(path.is_relative_to(root) for root in roots):
        raise ValueError("refused to read a file outside the portal's static folder")
    return {"file_obj": path.open("rb"), "filename": path.name}


def render_pdf(template_name: str, context: dict, image_dir: Path | None = None) -> bytes:
    """Render a template under templates/reports/pdf/ to PDF bytes. Images come from
    `image_dir`, a folder of copies made by portal.images.bounded_copy."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = partial(local_only_fetcher, image_dir=image_dir)
    font_config = FontConfiguration()
    html = render_to_string(template_name, context)
    stylesheets = [
        CSS(string=font_faces(), font_config=font_config, url_fetcher=fetcher),
        CSS(
            string=render_to_string("portal/reports/pdf/print.css", context),
            font_config=font_config,
            url_fetcher=fetcher,
        ),
    ]
    document = HTML(string=html, base_url=FONT_DIR.parent.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=font_config)

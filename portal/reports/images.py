"""Decoding pictures people uploaded, with limits: the only way an image reaches a PDF.

What is decoded, and how. The worker decodes one kind of upload: the photos of a case study,
placed in its PDF and in the compendium (cases/reports.py). Each photo is opened here with
Pillow, only as JPEG, PNG, GIF or WebP (the plugins asked for by name: Pillow never guesses
another format, so no EPS/Ghostscript, no PDF, no SVG), its declared size checked before a
pixel is decoded (at most settings.IMAGE_MAX_PIXELS; Pillow's own decompression-bomb guard
is set to the same figure and its warning is an error), decoded within a time bound, its
first frame only, shrunk to at most IMAGE_MAX_SIDE pixels a side and re-encoded in memory as
a fresh JPEG or PNG. WeasyPrint reads that copy (portal/reports/pdf.py lets it read the build's
folder of copies, not the media folder), so nothing else of the upload — trailing bytes, a
second payload, metadata — goes further. A photo that fails any of this is left out of the
PDF with a note saying so; the report is still built.

What is never decoded. Entry attachments (PDF, Office documents, images) are stored and
served as private downloads with `nosniff` (awards/attachments.py: the type is sniffed from
the first bytes only); no worker opens, renders, previews or unzips them. So a PNG+HTML or
%PDF+HTML polyglot, a PDF with /OpenAction JavaScript or a zip bomb named .docx is inert
here: it is only ever handed back as a download. A PNG+HTML polyglot used as a case-study
photo is decoded as the PNG it starts with and re-encoded: the HTML does not survive. A
50000×50000 PNG (a few bytes declaring 2.5 billion pixels) is refused from its header.
"""

import io
import signal
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps

FORMATS = ["JPEG", "PNG", "GIF", "WEBP"]

# Explicit, not Pillow's default: an image above this is refused before decoding (Pillow
# warns above MAX_IMAGE_PIXELS and refuses above twice that; the warning is an error below).
Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS


class ImageRefused(Exception):
    """An image that is not decoded; the message is for the report (Thai)."""


class DecodeTimeout(Exception):
    """Not an OSError (as TimeoutError is): a decoder must not take it for a bad file."""


@contextmanager
def time_limit(seconds: float):
    """Interrupt a decode that runs longer than `seconds` (Pillow decodes in chunks, so the
    alarm lands between them). Signals exist only in the main thread — where the Celery
    worker runs its tasks; elsewhere (a build run in-process) the pixel limit bounds it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise DecodeTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _strict_decoding() -> None:
    """WeasyPrint, on import, tells Pillow to fill in truncated images silently (a global).
    Import it first, then make a truncated image an error again: WeasyPrint is only ever
    given the complete copies made here."""
    import weasyprint.images  # noqa: F401

    ImageFile.LOAD_TRUNCATED_IMAGES = False


def bounded_copy(path: Path) -> tuple[bytes, str]:
    """(bytes, extension) of a fresh, bounded JPEG or PNG made from the image at `path`;
    ImageRefused when it is not an image we decode or breaks a limit."""
    _strict_decoding()
    try:
        size = path.stat().st_size
    except OSError:
        raise ImageRefused(_("ไม่พบไฟล์ภาพ")) from None
    if size > settings.IMAGE_MAX_BYTES:
        raise ImageRefused(_("ไฟล์ภาพใหญ่เกินกว่าที่ระบบจะแสดงได้"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path, formats=FORMATS) as image:
                width, height = image.size
                if width * height > settings.IMAGE_MAX_PIXELS:
                    raise ImageRefused(
                        _("ภาพมีขนาด %(width)s×%(height)s จุด เกินกว่าที่ระบบจะแสดงได้")
                        % {"width": width, "height": height}
                    )
                side = settings.IMAGE_MAX_SIDE
                if image.format == "JPEG":
                    image.draft("RGB", (side, side))  # decode a JPEG at a reduced scale
                with time_limit(settings.IMAGE_DECODE_SECONDS):
                    image.seek(0)
                    image.load()
                copy = ImageOps.exif_transpose(image)
                copy.thumbnail((side, side))
                alpha = copy.mode in ("RGBA", "LA", "PA") or "transparency" in copy.info
                copy = copy.convert("RGBA" if alpha else "RGB")
                out = io.BytesIO()
                if alpha:
                    copy.save(out, "PNG", optimize=True)
                    return out.getvalue(), "png"
                copy.save(out, "JPEG", quality=85)
                return out.getvalue(), "jpg"
        except ImageRefused:
            raise
        except DecodeTimeout:
            raise ImageRefused(_("อ่านไฟล์ภาพนานเกินกำหนด")) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused(_("ภาพมีจำนวนจุดภาพมากเกินกว่าที่ระบบจะแสดงได้")) from None
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
            # Not an image of a format we decode, truncated, or corrupt.
            raise ImageRefused(_("ไฟล์ภาพเสียหายหรือไม่ใช่ภาพชนิดที่รองรับ")) from None

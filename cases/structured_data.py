"""What a case page tells search engines and chat apps about itself: schema.org JSON-LD (an
Article with its award, its agency as a GovernmentOrganization and its dates) and the image of
its link preview (its first photo, else a card drawn with its title: cases/cards.py).

The case study is written in Thai, so its structured data is too (inLanguage "th"), whatever
the language of the page around it — but for its agency, named as the page names it."""

import json

from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from . import caching

PUBLISHER = {
    "@type": "GovernmentOrganization",
    "name": "สำนักงานคณะกรรมการพัฒนาระบบราชการ (สำนักงาน ก.พ.ร.)",
    "alternateName": "Office of the Public Sector Development Commission (OPDC)",
    "url": "https://www.opdc.go.th/",
}
# Characters that would end or confuse the <script> data block (as Django's json_script).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def preview_image(case, request) -> str:
    """The absolute URL of the image a link to the case shows: its first photo, or its card."""
    photo = next(iter(case.photos.all()), None)
    if photo is not None:
        return request.build_absolute_uri(photo.image.url)
    card = reverse("cases:case_card", kwargs={"slug": case.slug})
    return request.build_absolute_uri(f"{card}?v={int(case.updated_at.timestamp())}")


def level_in_thai(case) -> str:
    with translation.override("th"):
        return case.award_level_label


def award_name(case) -> str:
    return " ".join(
        filter(None, ["รางวัลเลิศรัฐ", level_in_thai(case), f"ประจำปี พ.ศ. {case.year_be}"])
    )


def _agency(agency, request) -> dict:
    """The agency named as the page names it: in the reader's language, as the page's text."""
    out = {
        "@type": "GovernmentOrganization",
        "name": agency.display_name,
        "url": request.build_absolute_uri(reverse("cases:agency_detail", args=[agency.pk])),
    }
    if agency.website:
        out["sameAs"] = agency.website
    return out


def case_json_ld(case, request) -> dict:
    url = request.build_absolute_uri(case.get_absolute_url())
    published = case.published_at or case.created_at
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": case.title[:110],  # search engines cut a longer headline
        "name": case.title,
        "description": case.summary,
        "inLanguage": "th",
        "image": [preview_image(case, request)],
        "datePublished": published.isoformat(),
        "dateModified": max(published, case.updated_at).isoformat(),
        "award": award_name(case),
        "author": _agency(case.agency, request) if case.agency else PUBLISHER,
        "publisher": PUBLISHER,
    }
    if case.source_url:
        data["isBasedOn"] = case.source_url
    return data


def as_script_data(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json"> block: data, not script, so the CSP's
    script-src does not apply; escaped so no text of the case can close the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308 — escaped just above


def page_head(case_id: int, read_case, request) -> dict:
    """What a case page's <head> shows of it (title, summary, slug, link preview image, JSON-LD)
    as plain data, kept with its page by the case's own generation and by what it depends on
    besides: the reader's language (the agency is named in it) and the address asked (its
    URLs are absolute). `read_case()` is called only when it is made again."""
    address = (translation.get_language(), request.scheme, request.get_host())
    return caching.cached_for_case(case_id, ("head", address), lambda: _head(read_case(), request))


def _head(case, request) -> dict:
    return {
        "title": case.title,
        "summary": case.summary,
        "slug": case.slug,
        "preview_image": preview_image(case, request),
        "json_ld": as_script_data(case_json_ld(case, request)),
    }

"""Walk every named URL pattern of the portal — site, API and admin — as every role, aimed at
another agency's private draft (its title, summary, contact's phone and an attachment carry
secret markers). Nobody but the agency's own officials and the secretariat may ever see a
marker, whatever the URL, and no URL answers 500. A new URL is covered without editing this
test: its parameters are filled from their names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from awards.attachments import add_attachment
from awards.models import ConflictDeclaration
from tests.factories import AssessorFactory, EntryFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRETS = ["ความลับหน่วยงานเอ-7Q3", "สรุปลับเฉพาะ-K9Z", "089-555-0199", "PDF-SECRET-4F1"]


def walk(patterns, namespace="", params=()):
    for pattern in patterns:
        names = tuple(pattern.pattern.converters) or tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner, params + names)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", params + names


def fill(name: str, params, world) -> dict:
    values = {
        "public_id": world["entry"].public_id,
        "object_id": world["entry"].pk,
        "key": "basic",
        "slug": "x",
        "year": 2569,
        "uidb64": "MQ",
        "token": "set-password",
        "format": "json",
        "app_label": "awards",
        "version": "2569.1",
        "device_id": 1,
    }
    kwargs = {}
    for param in params:
        if param == "pk":
            kwargs[param] = world["attachment"].pk if "attachment" in name else world["entry"].pk
        else:
            kwargs[param] = values.get(param, 1)
    return kwargs


@pytest.fixture
def world():
    owner = UserFactory(phone="089-555-0199")
    entry = EntryFactory(
        agency=owner.agency,
        created_by=owner,
        title="ความลับหน่วยงานเอ-7Q3",
        summary="สรุปลับเฉพาะ-K9Z",
        contact_phone="089-555-0199",
    )
    pdf = b"%PDF-1.4\n% PDF-SECRET-4F1\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attachment = add_attachment(entry, SimpleUploadedFile("ลับ.pdf", pdf), owner)
    conflicted = AssessorFactory()
    ConflictDeclaration.objects.create(assessor=conflicted, agency=owner.agency, reason="ญาติ")
    return {
        "entry": entry,
        "attachment": attachment,
        "roles": {
            "anonymous": None,
            "official of another agency": UserFactory(),
            "assessor not assigned": AssessorFactory(),
            "assessor with a conflict": conflicted,
        },
        "owner": owner,
        "staff": StaffFactory(is_superuser=True),
    }


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode("utf-8", "replace")


def test_nobody_reaches_another_agencys_private_entry_through_any_url(world):
    patterns = sorted(set(walk(get_resolver().url_patterns)))
    urls = []
    for name, params in patterns:
        try:
            urls.append(reverse(name, kwargs=fill(name, params, world)))
        except NoReverseMatch:
            continue
    assert len(urls) > 80, f"only {len(urls)} URLs could be built: the walk is broken"
    leaks, errors = [], []
    for role, user in world["roles"].items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            if response.status_code >= 500:
                errors.append(f"{role} GET {url} → {response.status_code}")
                continue
            text = body(response)
            found = [s for s in SECRETS if s in text]
            if found:
                leaks.append(f"{role} GET {url} → {response.status_code} shows {found}")
    assert not errors, "\n".join(errors)
    assert not leaks, "\n".join(leaks)


def test_the_walk_would_see_a_leak(world):
    """The markers are reachable by those who may see them, so the test above can fail."""
    for user in (world["owner"], world["staff"]):
        client = Client()
        client.force_login(user)
        entry, attachment = world["entry"], world["attachment"]
        page = client.get(reverse("awards:entry", args=[entry.public_id]))
        assert SECRETS[0] in body(page) if user == world["owner"] else True
        download = client.get(
            reverse("awards:attachment_download", args=[entry.public_id, attachment.pk])
        )
        assert SECRETS[3] in body(download)
        admin_page = client.get(reverse("admin:awards_entry_change", args=[entry.pk]))
        assert SECRETS[0] in body(admin_page) if user == world["staff"] else True

"""`manage.py load_entry_form`: a shipped form or a JSON file becomes a category's next version;
a bad file is refused with nothing made."""

import json

import pytest
from django.core.management import CommandError, call_command

from awards import entry_forms
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_a_shipped_form_and_a_file_become_the_next_versions(tmp_path):
    category = CategoryFactory(code="pmqa-40", cycle__year_be=2570)
    call_command("load_entry_form", "pmqa40", year=2570, category="pmqa-40")
    assert entry_forms.current_form(category).sections.count() == 10
    own = tmp_path / "own.json"
    own.write_text(json.dumps(entry_forms.shipped("project"), ensure_ascii=False), "utf-8")
    call_command("load_entry_form", str(own), year=2570, category="pmqa-40")
    current = entry_forms.current_form(category)
    assert (current.version, current.sections.first().key) == (2, "basic")


@pytest.mark.parametrize(
    "data",
    [
        "{not json",
        json.dumps({"sections": [{"key": "a", "title_th": "ก", "questions": [
            {"code": "x", "kind": "essay", "label_th": "คำถาม"}]}]}),
        json.dumps({"sections": [{"key": "a", "title_th": "ก", "questions": [
            {"code": "x", "kind": "text", "label_th": "หนึ่ง"},
            {"code": "x", "kind": "text", "label_th": "สอง"}]}]}),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_and_nothing_is_made(tmp_path, data):
    category = CategoryFactory(code="service", cycle__year_be=2570)
    path = tmp_path / "bad.json"
    path.write_text(data, "utf-8")
    with pytest.raises(CommandError, match="cannot load"):
        call_command("load_entry_form", str(path), year=2570, category="service")
    assert not category.entry_forms.exists()


def test_an_unknown_category_is_refused():
    with pytest.raises(CommandError, match="no category"):
        call_command("load_entry_form", "project", year=2570, category="nowhere")

"""The OpenAPI schema as integrators' tools take it (issue 15, portal/api/schema.py): one
document whatever the caller's language, ASCII names, every nested object typed, every error
documented; `redocly lint` (recommended rules, redocly.yaml) passes; openapi-python-client's
client installs and searches the live portal in Thai."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
REQUIRE_NODE = os.environ.get("REQUIRE_NODE_TOOLS") == "1"  # CI: `npm ci` ran (.ci/run)


def schema_json(language=None, query=""):
    headers = {"Accept": "application/json"}
    if language:
        headers["Accept-Language"] = language
    response = APIClient().get(f"/api/schema/{query}", headers=headers)
    assert response.status_code == 200
    return response.content


@pytest.fixture
def schema():
    return json.loads(schema_json())


def test_the_schema_is_the_same_in_every_language():
    thai = schema_json("th")
    assert schema_json("en") == thai
    assert schema_json("en", "?lang=en") == thai
    assert schema_json() == thai


def test_names_are_ascii_and_thai_only_in_descriptions(schema):
    names = list(schema["components"]["schemas"])
    for item in schema["paths"].values():
        for operation in item.values():
            names.append(operation["operationId"])
            names += [p["name"] for p in operation.get("parameters", [])]

    def walk(node):
        if isinstance(node, dict):
            title = node.get("title")
            assert not isinstance(title, str) or title.isascii(), title
            for value in node.get("enum", []) or []:
                assert value is None or str(value).isascii(), value
            for key, value in node.items():
                if key != "description":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    assert all(name.isascii() for name in names), [n for n in names if not n.isascii()]
    walk(schema["paths"])
    walk(schema["components"])
    assert schema["info"]["license"]["url"].endswith("/opendata/#licence")


def test_every_operation_has_a_summary_and_its_errors(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary"), (method, path)
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), path


def test_every_object_is_typed(schema):
    components = schema["components"]["schemas"]

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert (
                    node.get("properties") or "additionalProperties" in node or ("allOf" in node)
                ), where
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(components, "components")
    node = components["AgencyNode"]["properties"]["children"]
    assert node["items"] == {"$ref": "#/components/schemas/AgencyNode"}
    lessons = components["CaseDetail"]["properties"]["lessons"]
    assert lessons["items"] == {"$ref": "#/components/schemas/LessonRef"}
    assert "count_is_lower_bound" in components["PaginatedCaseHitList"]["properties"]
    source_url = components["CaseHit"]["properties"]["source_url"]
    assert source_url["type"] == "string" and "enum" not in json.dumps(source_url)
    cases = schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    assert {"page", "page_size"} <= {p["name"] for p in cases}


def test_path_parameters_carry_the_routers_patterns(schema):
    """A value outside the pattern matches no route: a conforming client never sends one."""
    patterns = {}
    for path, item in schema["paths"].items():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    patterns[(path, parameter["name"])] = parameter["schema"].get("pattern")
    assert all(patterns.values()), [key for key, value in patterns.items() if not value]
    assert patterns[("/api/v1/cases/{id}/", "id")] == "^[0-9]{1,12}$"
    assert patterns[("/api/v1/topics/{slug}/", "slug")] == "^[^/]{1,80}$"
    assert patterns[("/api/v1/branches/{code}/", "code")] == "^[^/.]+$"


def test_no_free_text_string_admits_a_nul(schema):
    """The portal refuses a NUL in a query string or a JSON body (400): the schema says so."""
    NO_NUL = "^[^\\x00]*$"
    strings = []
    for item in schema["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                strings.append((parameter["name"], parameter["schema"]))
    components = schema["components"]["schemas"]
    for name in ("EntryRequest", "PatchedEntryRequest", "PatchedScoreSheetWriteRequest"):
        for field, prop in components[name]["properties"].items():
            strings.append((f"{name}.{field}", prop))
    free_text = [
        (name, node)
        for name, node in strings
        if node.get("type") == "string" and not {"enum", "format"} & node.keys()
    ]
    assert free_text
    assert all(node.get("pattern") for _name, node in free_text), free_text
    q = next(node for name, node in strings if name == "q")
    assert q["pattern"] == NO_NUL
    assert components["EntryRequest"]["properties"]["title"]["pattern"] == NO_NUL
    # A filter that refuses a blank value (StrictFilterSet: 400 naming it) says so too.
    agencies = schema["paths"]["/api/v1/agencies/"]["get"]["parameters"]
    province = next(p["schema"] for p in agencies if p["name"] == "province")
    assert province["pattern"] == "^[^\\x00]*[^\\s\\x00][^\\x00]*$"
    case = schema["components"]["schemas"]["CaseHit"]["properties"]["source_url"]
    assert "format" not in case  # "" when unknown is not a `uri`


@pytest.mark.parametrize("path", ["/api/v1/cases/-1/", "/api/v1/topics/a%01b/", "/api/v9/x/"])
def test_a_path_no_route_matches_is_a_json_404_in_the_callers_language(path):
    for language in ("en", "th"):
        headers = {"Accept-Language": language}
        detail = APIClient().get("/api/v1/cases/999999/", headers=headers).json()["detail"]
        assert detail == ("Not found." if language == "en" else "ไม่พบ")  # as the API's own
        response = APIClient().get(path, headers=headers)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": detail}, (path, language)


def test_a_nul_in_the_query_string_is_a_json_400():
    response = APIClient().get("/api/v1/cases/?q=a%00b")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def node_tool(name: str) -> Path:
    tool = ROOT / "node_modules" / ".bin" / name
    if not tool.exists():
        if REQUIRE_NODE:
            pytest.fail(f"{tool} missing: run `npm ci`")
        pytest.skip(f"{name}: run `npm ci` first")
    return tool


def test_redocly_lint_passes_with_the_committed_config(tmp_path):
    redocly = node_tool("redocly")
    target = tmp_path / "schema.json"
    target.write_bytes(schema_json())
    run = subprocess.run(
        [str(redocly), "lint", str(target), "--config", str(ROOT / "redocly.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "0 errors" in run.stdout + run.stderr or "valid" in run.stdout + run.stderr


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(300)
def test_the_generated_python_client_installs_and_searches_in_thai(live_server, tmp_path):
    """openapi-python-client → pip install (no dependencies: httpx, attrs and dateutil are
    the portal's dev dependencies already) → a Thai search on the live portal through it."""
    CaseStudyFactory(title="ผลงานคัดแยกขยะชุมชน", summary="ลดขยะในชุมชนด้วยการคัดแยก")
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(
        APIClient().get("/api/schema/", headers={"Accept": "application/json"}).content.decode()
    )
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "openapi-python-client"), "generate", "--path", str(schema_file),
         "--config", str(ROOT / "portal/api/client-config.yaml"), "--meta", "setup",
         "--output-path", str(tmp_path / "client")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
         str(tmp_path / "client")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert (site / "lertrat_api_client").is_dir()
    script = f"""
import sys
sys.path.insert(0, {str(site)!r})
from lertrat_api_client import Client
from lertrat_api_client.api.v1 import v1_cases_list
client = Client(base_url={live_server.url!r}, headers={{"Accept-Language": "th"}})
page = v1_cases_list.sync(client=client, q="ขยะ", page_size=5)
print(page.count, page.count_is_lower_bound, page.results[0].title, page.results[0].agency.name)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.startswith("1 False ผลงานคัดแยกขยะชุมชน"), run.stdout
    shutil.rmtree(site)

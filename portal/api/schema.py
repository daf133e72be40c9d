"""The OpenAPI schema as integrators' tools take it (issue 15): one document whatever the
caller's language, ASCII names, every error documented, a summary on every operation.

- The schema is generated in the portal's source language (Thai, settings.LANGUAGE_CODE)
  whatever `Accept-Language` or `?lang=` says, so a generated client does not depend on who
  generated it. Operation ids, component and enum names are ASCII (drf-spectacular's, from
  the code); Thai appears only in descriptions, beside the English.
- A `title` on a property or a parameter (a model field's Thai verbose name) becomes part of
  its description: generators name classes after titles, and a Thai title made class names
  like `V1AgenciesListประเภทหนวยงาน`.
- Every operation documents 400, 401, 403, 404 and 429 with the error body DRF sends
  (`{"detail": "…"}`; a 400 may name fields instead: `{"page_size": ["…"]}`).
- Every path parameter carries the pattern the router enforces (`^[0-9]{1,12}$` for ids, the
  slug's, the code's): a value outside it matches no route and is a JSON 404
  (portal/operations/errors.page_not_found).
- Every free-text string a client sends (query parameters, request-body fields) says it has no
  NUL (`pattern: ^[^\\x00]*$`): the portal refuses one with 400
  (portal/operations/request_limits.py), so a conforming client never sends it.
  A filter that refuses a blank value (StrictFilterSet) has a pattern saying it is not blank.
- The licence is the open-data licence (/opendata/#licence); the server is the address the
  schema was asked at."""

import json

from django.conf import settings
from django.utils import translation
from drf_spectacular.plumbing import analyze_named_regex_pattern
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

from portal.site_address import site_url

ERROR = {
    "type": "object",
    "description": "ข้อความผิดพลาดตามภาษาที่ขอ (Accept-Language) / The error, in Thai or English "
    "by Accept-Language.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "คำขอไม่ถูกต้อง: `detail` หรือชื่อพารามิเตอร์/ฟิลด์พร้อมรายการข้อความ / A bad "
    "request: `detail`, or each wrong parameter or field with its messages, e.g. "
    '`{"page_size": ["…"]}`.',
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {},
}


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


ERROR_RESPONSES = {
    "400": {
        "description": "Bad request: a parameter or field is not valid, or a list was given a "
        "query parameter it does not know (named in the body).",
        "content": _json("ValidationError"),
    },
    "401": {
        "description": "Sign-in needed: no credentials, or the token given is not valid "
        "(`WWW-Authenticate: Token`).",
        "content": _json("Error"),
    },
    "403": {
        "description": "Not allowed: the role lacks the right, the second factor is not "
        "proved yet, or a session's request lacks its CSRF token.",
        "content": _json("Error"),
    },
    "404": {
        "description": "Not found: no such object, not within the caller's reach, or a page "
        "past the end.",
        "content": _json("Error"),
    },
}

VERBS = {
    "list": "List",
    "retrieve": "Get one of the",
    "create": "Create in",
    "update": "Replace one of the",
    "partial_update": "Update one of the",
    "destroy": "Delete one of the",
}


@extend_schema(exclude=True)
class SchemaView(SpectacularAPIView):
    """The schema, always in the portal's source language (the same bytes for every caller)."""

    def dispatch(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # lazy texts rendered inside the language, not after
        return response

    def _get_schema_response(self, request):
        # drf-spectacular's `?lang=` switches language around this: switch it back.
        with translation.override(settings.LANGUAGE_CODE):
            return super()._get_schema_response(request)


def _summary(path: str, method: str, operation_id: str) -> str:
    resource = path.split("/")[3].replace("-", " ")
    suffix = operation_id.removeprefix("v1_" + path.split("/")[3].replace("-", "_") + "_")
    if suffix in VERBS:
        return f"{VERBS[suffix]} {resource}"
    action = suffix.rsplit("_", 1)[0] if suffix.endswith(("_list", "_create")) else suffix
    detail = "{" in path
    return f"{action.replace('_', ' ').capitalize()} ({'one of the ' if detail else ''}{resource})"


def _english(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def _title_into_description(node: dict) -> None:
    title = node.pop("title", None)
    if not isinstance(title, str) or not title:
        return
    english = _english(title)
    label = title if english == title else f"{title} / {english}"
    description = node.get("description")
    node["description"] = f"{label}. {description}" if description else label


def _walk(node) -> None:
    if isinstance(node, dict):
        if node.pop("x-blank", False):
            # A blank-able URL or e-mail: drf-spectacular adds the validator's `format` after
            # the field extension (portal/api/policy.py); "" is neither a `uri` nor an `email`.
            node.pop("format", None)
        if node.get("nullable") and "allOf" in node and "type" not in node:
            node["type"] = "object"  # a nullable nested object (OpenAPI 3.0: type beside it)
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for prop in value.values():
                    if isinstance(prop, dict):
                        _title_into_description(prop)
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                _title_into_description(value)
            _walk(value)
    elif isinstance(node, list):
        for item in node:
            _walk(item)


# No NUL (PostgreSQL refuses it in text; the portal answers 400). JSON-Schema regexes are
# ECMA-262: `\x00` is the NUL escape there and in Python.
NO_NUL = "^[^\\x00]*$"


def _no_nul(schema: dict) -> None:
    """A pattern on a free-text string: not an enum, a format (uuid, date, email, uri, binary)
    or one with a pattern of its own."""
    if (
        schema.get("type") == "string"
        and not {"enum", "format", "pattern"} & schema.keys()
        and not schema.get("readOnly")
    ):
        schema["pattern"] = NO_NUL
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _no_nul(schema[key])
    for prop in schema.get("properties", {}).values():
        if isinstance(prop, dict):
            _no_nul(prop)
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            if isinstance(sub, dict):
                _no_nul(sub)


# A StrictFilterSet's filter refuses an empty or blank value (400 naming it): not blank either.
NOT_BLANK_NO_NUL = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"


def _strict_filters(generator) -> dict:
    """{schema path: names of the filters that refuse a blank value (StrictFilterSet)}."""
    from portal.api.policy import StrictFilterSet

    strict = {}
    for path, _regex, _method, callback in getattr(generator, "endpoints", None) or []:
        filterset = getattr(getattr(callback, "cls", None), "filterset_class", None)
        if filterset is not None and issubclass(filterset, StrictFilterSet):
            strict[path.replace("{pk}", "{id}")] = set(filterset.base_filters)
    return strict


def _route_patterns(generator) -> dict:
    """{schema path: {parameter: the router's regex}} from the URL patterns themselves."""
    routes = {}
    for path, path_regex, _method, _view in getattr(generator, "endpoints", None) or []:
        groups = {
            ("id" if name == "pk" else name): pattern
            for name, pattern in analyze_named_regex_pattern(path_regex).items()
        }
        routes[path.replace("{pk}", "{id}")] = groups
    return routes


def _request_components(result: dict) -> set:
    text = json.dumps(
        [
            op.get("requestBody")
            for item in result.get("paths", {}).values()
            for op in item.values()
            if isinstance(op, dict)
        ]
    )
    return {
        name for name in result["components"]["schemas"] if f'"#/components/schemas/{name}"' in text
    }


def polish(result, generator, request, public):
    """drf-spectacular post-processing hook (after the throttles' 429)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    components.setdefault("ValidationError", VALIDATION_ERROR)
    routes = _route_patterns(generator)
    blank_refused = _strict_filters(generator)
    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in ERROR_RESPONSES.items():
                operation["responses"].setdefault(status, response)
            operation.setdefault("summary", _summary(path, method, operation["operationId"]))
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                _title_into_description(schema)
                _walk(schema)
                route = routes.get(path, {}).get(parameter["name"])
                if parameter["in"] == "path" and route and "pattern" not in schema:
                    schema["pattern"] = f"^{route}$"  # the router's, e.g. [^/.]+ for a code
                strict = parameter["in"] == "query" and parameter["name"] in blank_refused.get(
                    path, ()
                )
                if (
                    strict
                    and schema.get("type") == "string"
                    and not {"enum", "format", "pattern"} & schema.keys()
                ):
                    schema["pattern"] = NOT_BLANK_NO_NUL
                _no_nul(schema)
    _walk(components)
    for name in _request_components(result):
        _no_nul(components[name])
    origin = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
    info = result.setdefault("info", {})
    info["license"] = {
        "name": "สัญญาอนุญาตข้อมูลเปิดภาครัฐ (แบบ OGL) / Open Government Licence – Thailand "
        "(OGL-TH style)",
        "url": f"{site_url(request)}/opendata/#licence",
    }
    result["servers"] = [{"url": origin or "/", "description": "this portal"}]
    _drop_unused(components, result)
    return result


def _drop_unused(components: dict, result: dict) -> None:
    """A request twin of a read-only nested serializer (AgencyRefRequest) is never referenced."""
    while True:
        text = json.dumps(result)
        unused = [name for name in components if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return
        for name in unused:
            del components[name]

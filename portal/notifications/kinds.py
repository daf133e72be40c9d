"""The kinds of notification: each app describes what it sends in its own `notices.py` and
registers it here. A kind names its placeholders; staff-edited templates may use only those.

Placeholders are written `{name}` (Python's format fields, names only: no attributes, indexes,
conversions or format specs), `{{` and `}}` for a literal brace."""

import string
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Every kind may use these: filled in by the machinery, not by the app.
COMMON_PLACEHOLDERS: dict[str, Promise] = {
    "recipient_name": gettext_lazy("ชื่อผู้รับ"),
    "site_url": gettext_lazy("ที่อยู่เว็บไซต์พอร์ทัล"),
}


class TemplateError(ValueError):
    """A template cannot be used as written; the message is for staff (Thai)."""


@dataclass(frozen=True)
class NotificationKind:
    """One kind of message an app sends.

    `subject` and `body` are the shipped defaults: Thai msgids (gettext_lazy) whose English is
    in the catalogue, rendered in the recipient's language. `placeholders` maps each name the
    template may use to what it is (shown to staff). `audience` says in words who receives it.
    `sample()` returns a real object to preview the template with, and `values(obj, recipient)`
    the placeholders' values for it (called in the recipient's language). `days_before` makes
    it a reminder: the default schedule staff can change (NotificationSchedule)."""

    code: str
    label: Promise
    audience: Promise
    subject: Promise
    body: Promise
    placeholders: dict[str, Promise]
    values: Callable[[object, object], dict[str, str]]
    sample: Callable[[], object | None] = lambda: None
    days_before: tuple[int, ...] = ()
    order: int = field(default=100)

    def allowed_names(self) -> set[str]:
        return set(self.placeholders) | set(COMMON_PLACEHOLDERS)


_registry: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    _registry[kind.code] = kind
    return kind


def find_kind(code: str) -> NotificationKind | None:
    return _registry.get(code)


def get_kind(code: str) -> NotificationKind:
    try:
        return _registry[code]
    except KeyError:
        raise TemplateError(_("ไม่มีการแจ้งเตือนชนิดนี้: %(code)s") % {"code": code}) from None


def all_kinds() -> list[NotificationKind]:
    return sorted(_registry.values(), key=lambda kind: (kind.order, kind.code))


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, str(kind.label)) for kind in all_kinds()]


def placeholder_names(text: str) -> list[str]:
    """The placeholders a template uses, in order; TemplateError (Thai) when it is malformed."""
    names = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise TemplateError(
            _("รูปแบบข้อความไม่ถูกต้อง: วงเล็บปีกกา { } ต้องเป็นคู่ (ใช้ {{ หรือ }} หากต้องการวงเล็บเอง)")
        ) from error
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError(
                _("ตัวแทนข้อความ “{%(name)s}” ไม่ถูกต้อง: ใช้ได้เฉพาะชื่อ เช่น {entry_title}")
                % {
                    "name": name
                    + (f"!{conversion}" if conversion else "")
                    + (f":{spec}" if spec else "")
                }
            )
        names.append(name)
    return names


def check_template(kind: NotificationKind, *texts: str) -> None:
    """Raise TemplateError (Thai) naming every unknown placeholder and the allowed ones."""
    unknown = []
    for text in texts:
        unknown += [name for name in placeholder_names(text) if name not in kind.allowed_names()]
    if unknown:
        raise TemplateError(
            _("ไม่รู้จักตัวแทนข้อความ %(unknown)s ของ “%(kind)s” ใช้ได้เฉพาะ: %(allowed)s")
            % {
                "unknown": ", ".join(f"{{{name}}}" for name in dict.fromkeys(unknown)),
                "kind": kind.label,
                "allowed": ", ".join(f"{{{name}}}" for name in sorted(kind.allowed_names())),
            }
        )


def fill(text: str, values: dict[str, str]) -> str:
    """The template with its placeholders filled (checked templates only: names, nothing else)."""
    return text.format_map({name: values.get(name, "") for name in placeholder_names(text)})

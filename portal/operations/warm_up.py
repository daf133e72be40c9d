"""Work each process does before its first request, so the first visitors don't pay for it."""

import logging
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)


def _url_map():
    """Every namespace's reverse lookups (resolving the URLconf imports every view)."""
    from django.urls import get_resolver

    resolvers = [get_resolver()]
    while resolvers:
        resolver = resolvers.pop()
        resolvers.extend(sub for _prefix, sub in resolver.namespace_dict.values())


def _templates():
    """The project's page templates, compiled into the cached loader."""
    from django.conf import settings
    from django.template.loader import get_template

    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(directory).rglob("*.html"):
            get_template(path.relative_to(directory).as_posix())


# What the apps add (AppConfig.ready): e.g. the search segmenter's dictionary.
_app_steps: list[Callable[[], None]] = []


def register(step: Callable[[], None]) -> Callable[[], None]:
    """An app's own warm-up step, run after the portal's own."""
    _app_steps.append(step)
    return step


def warm_up() -> None:
    """Build what each process otherwise builds lazily on its first visitors' requests: the
    URL map, the compiled templates and the search segmenter's dictionary (together 1–3 s of
    CPU per process). Each gunicorn worker calls this before it takes requests
    (portal/gunicorn_conf.py). Never fails the boot: a step that fails (the database not
    reachable yet) is logged and left to the first request that needs it, as before."""
    from django.db import connections

    for step in (_url_map, _templates, *_app_steps):
        try:
            step()
        except Exception:
            logger.warning("warm-up: %s failed; built on first use", step.__name__, exc_info=True)
    connections.close_all()  # this thread serves no requests (gthread's pool does)

"""docker-compose.yml and the Dockerfile describe a stack that can actually run this project:
the file parses, every service's command exists here, and every environment variable it
sets is one that portal/settings.py reads."""

import importlib
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
PORTAL_SERVICES = ["migrate", "web", "worker", "beat"]
SETTINGS_SOURCE = (ROOT / "portal" / "settings.py").read_text()


def settings_environment_names() -> set[str]:
    names = set(
        re.findall(
            r"(?:os\.environ\.get|os\.getenv|env_bool|env_int|env_list)\(\s*\"([A-Z_0-9]+)\"",
            SETTINGS_SOURCE,
        )
    )
    if "dj_database_url.config(" in SETTINGS_SOURCE:
        names.add("DATABASE_URL")  # dj-database-url's default variable
    return names


def as_argv(command) -> list[str]:
    return command if isinstance(command, list) else shlex.split(command)


def test_the_stack_has_every_service():
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= set(SERVICES)
    for name in PORTAL_SERVICES:
        assert SERVICES[name]["image"] == "lertrat-portal"
        assert "build" in SERVICES[name]


@pytest.mark.parametrize("service", PORTAL_SERVICES)
def test_environment_names_are_read_by_the_settings(service):
    known = settings_environment_names()
    unknown = set(SERVICES[service]["environment"]) - known
    assert not unknown, f"{service} sets variables portal/settings.py never reads: {unknown}"


def test_secrets_come_from_the_environment_not_the_file():
    env = SERVICES["web"]["environment"]
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["DEBUG"] == "0"
    assert "${POSTGRES_PASSWORD" in env["DATABASE_URL"]


def check_command(argv: list[str]):
    program, *args = argv
    if program == "gunicorn":
        assert importlib.util.find_spec("gunicorn"), "gunicorn is not a dependency"
        target = next(a for a in args if ":" in a and not a.startswith("-"))
        module_name, attribute = target.split(":")
        module = importlib.import_module(module_name)
        assert callable(getattr(module, attribute)), target
    elif program == "celery":
        assert args[0] == "-A"
        module = importlib.import_module(f"{args[1]}.celery")
        from celery import Celery

        assert isinstance(module.app, Celery)
        from celery.bin.celery import celery as celery_cli

        assert args[2] in celery_cli.commands, f"celery has no command {args[2]}"
    elif program == "python":
        assert args[0] == "manage.py" and (ROOT / "manage.py").exists()
        assert args[1] in get_commands(), f"manage.py has no command {args[1]}"
    else:
        pytest.fail(f"unexpected program {program}")


@pytest.mark.parametrize("service", PORTAL_SERVICES)
def test_every_command_exists_in_the_project(service):
    check_command(as_argv(SERVICES[service]["command"]))


def test_the_dockerfile_command_exists_too():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1)
    check_command(yaml.safe_load(cmd))
    for match in re.finditer(r"python manage\.py (\w+)", dockerfile):
        assert match.group(1) in get_commands()


def test_static_files_are_outside_the_data_volume():
    """The image's collected static files must not be hidden by the /app/var volume."""
    static_root = re.search(r"STATIC_ROOT=(\S+)", (ROOT / "Dockerfile").read_text()).group(1)
    for name in PORTAL_SERVICES:
        for volume in SERVICES[name].get("volumes", []):
            mount = volume.split(":")[1]
            assert not static_root.startswith(mount), (static_root, volume)


def test_the_web_health_check_probes_a_real_url():
    test = SERVICES["web"]["healthcheck"]["test"]
    url = re.search(r"http://localhost:8000(/\S*)", " ".join(test)).group(1).rstrip('"')
    try:
        match = resolve(url)
    except Resolver404:
        pytest.fail(f"the health check probes {url}, which the portal does not serve")
    assert match.url_name == "healthz"


def test_services_wait_for_their_dependencies():
    for name in PORTAL_SERVICES:
        depends = SERVICES[name]["depends_on"]
        if name == "migrate":
            assert depends["db"]["condition"] == "service_healthy"
        else:
            assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert "healthcheck" in SERVICES["db"] and "healthcheck" in SERVICES["redis"]


def test_every_gunicorn_uses_the_shared_config_that_warms_its_workers():
    """Compose, the Dockerfile and `make prod-up` serve the portal the same way."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    prod_up = (ROOT / "scripts" / "prod-up.sh").read_text().replace("\\\n", " ")
    commands = {
        "compose": as_argv(SERVICES["web"]["command"]),
        "Dockerfile": yaml.safe_load(re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1)),
        "prod-up.sh": shlex.split(re.search(r'"\$BIN/gunicorn" (.*)', prod_up).group(1)),
    }
    for where, argv in commands.items():
        config = argv[argv.index("--config") + 1]
        assert config == "python:portal.gunicorn_conf", where
        assert "--worker-class" not in argv and "--timeout" not in argv, where  # one place
    module = importlib.import_module(config.removeprefix("python:"))
    assert callable(module.post_worker_init)

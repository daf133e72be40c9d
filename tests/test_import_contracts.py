"""The import contracts (pyproject.toml, `make lint`): dependencies point one way and nothing
imports in a circle — checked on the tree as it is, and shown to catch a breach."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_of_the_code(tmp_path: Path) -> Path:
    for name in ("portal", "awards", "cases"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_core_importing_an_app_breaks_a_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    with (tree / "portal" / "thai.py").open("a") as module:
        module.write("\nimport cases.search  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "portal.thai -> cases.search" in result.stdout


def test_a_circle_inside_the_core_breaks_a_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    with (tree / "portal" / "agencies" / "models.py").open("a") as module:
        module.write("\nfrom portal.accounts import models as accounts_models  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "No cycles are allowed in portal" in result.stdout

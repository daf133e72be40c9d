#!/usr/bin/env bash
# Dependency audit: pip-audit over the installed (pinned) dependencies, the transitive ones
# included; --strict fails on any vulnerability AND on any package it could not check.
# pip-audit needs PyPI's per-release JSON (https://pypi.org/pypi/NAME/VERSION/json), which
# carries the advisories. Where that endpoint is unreachable (a mirror or a sandbox with
# only a package index) an audit would silently check nothing, so the script says SKIPPED
# loudly instead of reporting a clean result it did not establish.
set -euo pipefail
cd "$(dirname "$0")/.."
probe="https://pypi.org/pypi/pip/$(.venv/bin/python -c 'import pip; print(pip.__version__)')/json"
if ! curl -fsS -o /dev/null --max-time 20 "$probe"; then
  echo "pip-audit: SKIPPED — PyPI's vulnerability data ($probe) is unreachable from this machine"
  exit "${AUDIT_REQUIRED:-0}"
fi
exec .venv/bin/pip-audit --strict --skip-editable --progress-spinner off "$@"

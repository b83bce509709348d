#!/usr/bin/env bash
# Sets up everything herstelpad needs on this machine (virtualenv, packages, browser,
# Mailpit). Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "herstelpad needs Python 3.11 or newer; '$PY' is $("$PY" --version 2>&1 || echo missing)." >&2
  echo "Set PYTHON=/path/to/python3.11 and run again." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> virtualenv .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.herstelpad-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ portal/requirements.txt -nt "$stamp" ]; then
  # herstelpad itself (lean), the Keycloak pack's extra, this repository's tooling, and the reference portal's
  # libraries: the portal runs from this checkout and is not part of the herstelpad wheel
  echo "==> Python packages (pip install -e .[keycloak,dev] -r portal/requirements.txt)"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[keycloak,dev]" -r portal/requirements.txt
  touch "$stamp"
fi
echo "==> browser and Mailpit"
.venv/bin/python -m herstelpad.tooling.install
.venv/bin/python -m herstelpad.tooling.local_grid  # the Selenium Grid jars and chromedriver, for --herstelpad-grid-url
echo "==> Keycloak (for the scenarios of features/keycloak)"
if ! .venv/bin/python -m fixtures.keycloak.install; then
  # the reference portal's scenarios do not need it; the Keycloak scenarios fail with the message above
  echo "==> Keycloak is not installed (see the message above): the Keycloak scenarios will fail with it; the others run." >&2
fi
if [ -n "${PYTHONPYCACHEPREFIX:-}" ] && [ ! -f "$PYTHONPYCACHEPREFIX/.herstelpad-warm" ]; then
  # the bytecode cache filled once (Python, the packages, pytest's rewritten test modules): the first runs of a
  # new machine do not each compile the same modules at the same moment
  echo "==> bytecode cache ($PYTHONPYCACHEPREFIX)"
  .venv/bin/python -m pytest --collect-only -q -p no:cacheprovider >/dev/null 2>&1 || true
  mkdir -p "$PYTHONPYCACHEPREFIX" && touch "$PYTHONPYCACHEPREFIX/.herstelpad-warm"
fi

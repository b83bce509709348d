# herstelpad — the two commands of the README, and a few more.
# Each target sets up what is missing first (virtualenv, packages, Chromium, Mailpit).

VENV := .venv
PY := $(VENV)/bin/python
HERSTELPAD := $(VENV)/bin/herstelpad

.PHONY: run test setup lint serve report bench soak clean

# Python's bytecode cache, kept outside the checkout. Where PYTHONDONTWRITEBYTECODE=1 is set (to keep a checkout
# clean), every process compiled herstelpad, the portal and the steps again and pytest rewrote every test module
# again: about 1.3 s of CPU per Python process, and a test run starts more than a hundred (nested runs, portals).
export PYTHONPYCACHEPREFIX ?= $(abspath $(or $(HERSTELPAD_TOOLS),.tools))/pycache
export PYTHONDONTWRITEBYTECODE :=

run: setup        ## the main job: all scenarios against the reference portal, report in reports/
	$(HERSTELPAD) run $(ARGS)

TEST_WORKERS ?= 2  # pytest-xdist workers of `make test` (0: serial); ARGS="-n N" also overrides it
# the scenarios of `make test` picture what the help article and a failure need (`make run` pictures every step;
# the tests of the pictures and of masking run their own runs with every step)
TEST_SCREENSHOTS ?= documentatie

test: setup       ## every test: unit, portal API, report, and the scenarios, on two workers
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --herstelpad-screenshots=$(TEST_SCREENSHOTS) $(ARGS)

setup:
	@bash scripts/setup.sh

lint: setup       ## ruff on the repository, mypy strict on herstelpad/ (both configured in pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

serve: setup      ## Mailpit + reference portal + a demo organisation, for exploring by hand
	$(HERSTELPAD) serve --pack portaal

report: setup     ## rebuild reports/index.html from the last results
	$(HERSTELPAD) report

bench: setup      ## benchmark figures per target (the reference portal, Keycloak) and beside a bare Playwright script (reports/bench.json)
	$(HERSTELPAD) bench --pack portaal keycloak --peer scripts/bare_playwright.py $(ARGS)

soak: setup       ## rerun the suite N times and list flaky scenarios
	$(HERSTELPAD) soak $(ARGS)

clean:
	rm -rf $(VENV) .tools reports/*.json reports/*.ndjson reports/allure-results reports/*.xml reports/*.html reports/screenshots reports/history reports/logs reports/traces test-results

# Newsroom: `make run` sets up and serves the demo; `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format check migrate demo browser messages load node audit tools serve bench newsroom-day

install: $(STAMP)

# Re-installs only when pyproject.toml changes, so repeating it is cheap and safe.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: install
	DEBUG=$${DEBUG:-1} $(MANAGE) ensure_database
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(MANAGE) load_demo
	DEBUG=$${DEBUG:-1} $(MANAGE) ensure_admin
	DEBUG=$${DEBUG:-1} $(MANAGE) create_staff writer --role writer --name "منى" --author "منى الشريف"
	DEBUG=$${DEBUG:-1} $(MANAGE) create_staff editor --role editor --name "هالة"

run: demo
	@echo "Serving the demo on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	DEBUG=$${DEBUG:-1} $(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	SECRET_KEY=$${SECRET_KEY:-insecure-test-key} $(MANAGE) check
	SECRET_KEY=$${SECRET_KEY:-insecure-test-key} $(MANAGE) makemigrations --check --dry-run

test: lint check node tools
	SECRET_KEY=$${SECRET_KEY:-insecure-test-key} $(BIN)/pytest

# Debian's Chromium for the browser tests (Playwright cannot download its own browsers here).
# Needs root and Debian's package index; CI runs it before `make test`.
CHROMIUM ?= /usr/bin/chromium
browser:
	test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	$(CHROMIUM) --version

# Recompile our Arabic message corrections after editing locale/ar/LC_MESSAGES/django.po.
messages:
	msgfmt --check -o locale/ar/LC_MESSAGES/django.mo locale/ar/LC_MESSAGES/django.po

# Bounded load run (not in CI): 64 readers for 60 s with wrk against gunicorn in production
# mode, while an editor saves through the admin; fails on any 5xx or lost save (loadtest/).
load: install
	test -x /usr/bin/wrk || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python loadtest/run.py --duration $${LOAD_SECONDS:-60} --connections $${LOAD_CONNECTIONS:-64}

# npm tools in .tools/ (package.json and package-lock.json committed, node_modules ignored):
# axe-core for the browser tests' accessibility checks; Lighthouse (a devDependency) for
# `make audit` only, so `make test` and CI install axe-core alone.
TOOLS := .tools
AXE := $(TOOLS)/node_modules/axe-core/axe.min.js
LIGHTHOUSE := $(TOOLS)/node_modules/.bin/lighthouse
node: $(AXE)
$(AXE): $(TOOLS)/package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	cd $(TOOLS) && npm ci --omit=dev --no-audit --no-fund
	touch $@

$(LIGHTHOUSE): $(TOOLS)/package-lock.json
	cd $(TOOLS) && npm ci --no-audit --no-fund
	touch $@ $(AXE)

# Lighthouse on the home page and an article, served as in production (DEBUG off, collected
# static files, gunicorn) from the demo content in its own database; prints the four scores
# and leaves the reports in artifacts/lighthouse/. Not part of `make test` or CI.
audit: install $(LIGHTHOUSE)
	CHROMIUM=$(CHROMIUM) LIGHTHOUSE=$(LIGHTHOUSE) bash scripts/audit.sh

# The production stack on loopback (deploy/serve.py): nginx (static files, media; PURGE refused)
# -> a private Varnish (deploy/varnish.vcl: pages by surrogate key, grace while gunicorn is down)
# -> gunicorn, which purges Varnish directly; nginx falls back to gunicorn while Varnish is down.
# DEBUG off, a generated SECRET_KEY. nginx, wrk and Varnish (with varnish-modules for xkey) come
# from Debian (needs root the first time).
SERVE_PORT ?= 8080
tools:
	command -v nginx >/dev/null && command -v wrk >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk)
	test -x /usr/sbin/varnishd && ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish varnish-modules)

serve: install tools
	SERVE_PORT=$(SERVE_PORT) $(BIN)/python deploy/serve.py

# Measures the nginx ceiling, an article as a Varnish hit (through nginx and alone), uncached
# pages, home and search (a few minutes; loopback only). Point DATABASE_URL at the
# 200,000-article database:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench make bench
bench: install tools
	$(BIN)/python benchmarks/bench.py

# A newsroom day in a minute (not in `make test`): 64 readers for 60 s on 2,000 articles, home
# and sections with a Zipf-like popularity while an editor saves through the admin every 5 s;
# prints each cache layer's share, the hit ratios and the stale reads (docs/scaling.md).
# Starts nginx -> Varnish -> gunicorn as `make serve` does unless DAY_ARGS names another front door:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench make newsroom-day
#   make newsroom-day DAY_ARGS="--front http://127.0.0.1:6081"
newsroom-day: install tools
	$(BIN)/python benchmarks/newsroom_day.py $(DAY_ARGS)

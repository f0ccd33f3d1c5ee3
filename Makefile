# Misty Partner Portal — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format bench install install-test migrate seed messages check-deploy clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) scripts/deps.py | xargs $(PIP) install -q
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) scripts/deps.py test | xargs $(PIP) install -q
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	mkdir -p var/mail
	DJANGO_SETTINGS_MODULE=portal.settings.local $(PY) manage.py migrate --noinput

seed: migrate
	DJANGO_SETTINGS_MODULE=portal.settings.local $(PY) manage.py seed_demo

## make run: install, migrate, load the demo ecosystem and serve on http://127.0.0.1:8000
run: seed
	DJANGO_SETTINGS_MODULE=portal.settings.local $(PY) manage.py runserver 127.0.0.1:8000

## make test: install what the tests need, check the code with ruff (lint, import order, format), run the suite
test: install-test lint
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

## make lint: ruff, configured in pyproject.toml (`make format` rewrites what `ruff format` would change)
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make bench: build the large dataset (once) and time every cabinet page
bench: install-test
	DJANGO_SETTINGS_MODULE=portal.settings.bench $(PY) manage.py bench $(BENCH_ARGS)

## make messages: extract and compile the ru/en catalogs
messages: install
	DJANGO_SETTINGS_MODULE=portal.settings.local $(PY) manage.py makemessages -l ru -l en --ignore=.venv --ignore=staticfiles --ignore=var --ignore=tests --ignore=scripts --ignore=node_modules
	DJANGO_SETTINGS_MODULE=portal.settings.local $(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-looking-secret-value-xyz \
	MFA_ENCRYPTION_KEY=Y2hlY2stZGVwbG95LWR1bW15LW1mYS1rZXktMDAwMzI= CLIENT_HASH_KEY=check-deploy-client-key \
	ALLOWED_HOSTS=portal.misty.example DATABASE_URL=postgres://u:p@127.0.0.1:5432/x REDIS_URL=redis://127.0.0.1:6379/0 \
	AWS_STORAGE_BUCKET_NAME=b AWS_ACCESS_KEY_ID=k AWS_SECRET_ACCESS_KEY=s EMAIL_HOST=smtp.misty.example PORTAL_BASE_URL=https://portal.misty.example \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var staticfiles

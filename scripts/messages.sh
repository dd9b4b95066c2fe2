#!/usr/bin/env bash
# `make messages`: the English catalogue brought up to date with the sources (new strings
# come in empty, for a person to translate in locale/en/LC_MESSAGES/django.po), then
# compiled. tests/portal/test_translations.py fails while any entry is empty or fuzzy.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
DEBUG=1 .venv/bin/python manage.py makemessages -l en --no-location --ignore "static/*" \
  --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*" --ignore "var/*" \
  --ignore "staticfiles/*" --ignore "build/*" --ignore "deploy/*" --ignore "test-artifacts/*"
msgfmt --check -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po
msgfmt --statistics -o /dev/null locale/en/LC_MESSAGES/django.po  # "N translated messages…"

#!/usr/bin/env bash
# `make run`: the portal on embedded defaults (SQLite, tasks in-process, sandbox
# registries, SMS shown at /dev/sms/), with the sample people loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
export DEBUG="${DEBUG:-1}"
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py load_units --sample
.venv/bin/python manage.py load_sample_accounts
.venv/bin/python manage.py dev_ca   # the CA the portal trusts and the sandbox SIMs sign with
.venv/bin/python manage.py build_agent  # the signing agent offered at /ho-tro/cong-cu-ky-so/
echo "Portal: http://127.0.0.1:8000  (SMS codes: http://127.0.0.1:8000/dev/sms/)"
exec .venv/bin/python manage.py runserver 127.0.0.1:8000

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
# The sandbox server beside the portal (the sandbox VNeID at :8100/vneid/ for "Đăng nhập
# bằng tài khoản định danh điện tử VNeID"); stopped with the portal. Already running
# (`make sandbox`)? This one gives up on the busy port and the running one serves.
.venv/bin/python manage.py run_sandbox --port 8100 &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT
echo "Portal: http://127.0.0.1:8000  (SMS codes: http://127.0.0.1:8000/dev/sms/)"
.venv/bin/python manage.py runserver 127.0.0.1:8000

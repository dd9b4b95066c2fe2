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
# The sample province's portal as the provider's development client (updated if present).
.venv/bin/python manage.py oidc_client_dev --name "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)" \
  --client-id backan-dev --secret dev-secret --redirect http://127.0.0.1:8200/callback \
  --post-logout-redirect http://127.0.0.1:8200/ --scopes "openid profile id_number phone email"
# The sandbox server beside the portal (the sandbox VNeID at :8100/vneid/ for "Đăng nhập
# bằng tài khoản định danh điện tử VNeID"); stopped with the portal. Already running
# (`make sandbox`)? This one gives up on the busy port and the running one serves.
.venv/bin/python manage.py run_sandbox --port 8100 &
sandbox_pid=$!
# The sample province's portal (sandbox/province/), a client of the portal's OpenID Connect
# provider, registered above, served beside it and stopped with it.
.venv/bin/python manage.py run_province --port 8200 --issuer http://127.0.0.1:8000 \
  --client-id backan-dev --secret dev-secret &
province_pid=$!
trap 'kill "$sandbox_pid" "$province_pid" 2>/dev/null || true' EXIT
echo "Portal: http://127.0.0.1:8000  (SMS codes: http://127.0.0.1:8000/dev/sms/)"
echo "Province (signs in through the portal): http://127.0.0.1:8200"
.venv/bin/python manage.py runserver 127.0.0.1:8000

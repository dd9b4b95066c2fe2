#!/usr/bin/env bash
# `make test`: installs what is missing, then runs the whole suite on PostgreSQL.
# Under CI=true a missing PostgreSQL, Redis or Chromium fails the run (tests/conftest.py).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --system

export DEBUG=1                      # settings import in development mode; pytest-django
                                    # still runs every test with DEBUG off
export PORTAL_CAPTCHA_TEST_MODE=1   # the browser walks answer the captcha with PASSED
export SMS_BACKEND=accounts.sms.backends.locmem.LocmemBackend
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
unset REDIS_URL

.venv/bin/ruff check --quiet .

mkdir -p test-artifacts
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$status"

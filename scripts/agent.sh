#!/usr/bin/env bash
# `make agent`: the local signing agent on a development token. SoftHSM2 plays the USB
# token; it holds the certificates of the development CA (PIN 123456).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --system
export DEBUG=1
.venv/bin/python manage.py dev_ca
.venv/bin/python manage.py provision_token
export SOFTHSM2_CONF="$PWD/var/softhsm/softhsm2.conf"
exec .venv/bin/python -m signing.agent

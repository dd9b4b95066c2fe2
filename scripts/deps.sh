#!/usr/bin/env bash
# Installs what is missing: the Python packages into .venv and, as root, the Debian
# packages the tests drive (Chromium, SoftHSM2 as the PKCS#11 token, nginx as the proxy
# of `make up`). Quiet and quick when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=.venv/.installed
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e ".[dev]"
  touch "$stamp"
fi

if [ "${1:-}" = "--system" ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -f /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
  fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
  [ -x /usr/sbin/nginx ] || missing+=(nginx)  # the proxy of `make up` and its tests
  command -v msgfmt >/dev/null || missing+=(gettext)  # the English catalogue's checks
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "Missing Debian packages: ${missing[*]} (install them as root)" >&2
    fi
  fi
fi

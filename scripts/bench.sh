#!/usr/bin/env bash
# `make bench`: installs what is missing, then measures the portal in its production shape
# and prints one table (bench/README.md). Needs PostgreSQL (127.0.0.1:5432 with trust auth,
# or BENCH_DATABASE_URL; version 13 or later) and redis-server, as `make test` does. About 15 minutes; the
# first run also seeds two console databases (100k and 1M accounts, about a minute) and
# installs the peer's own environment (var/bench/peer-venv: django-allauth, from PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --system
command -v redis-server >/dev/null || { echo "make bench needs redis-server" >&2; exit 1; }
exec .venv/bin/python -m bench.run "$@"

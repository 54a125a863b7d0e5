#!/usr/bin/env bash
# Sets everything up and runs the test suite (SQLite by default; DATABASE_URL for PostgreSQL).
# Extra arguments go to pytest, e.g. scripts/test.sh tests/orgs -q
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"

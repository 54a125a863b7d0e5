#!/usr/bin/env bash
# Sets everything up, loads the demo data and serves the web application on SQLite.
#   MANYI_DATA_DIR  where the database and files live (default ~/.local/share/manyi)
#   HOST, PORT      where to listen (default 127.0.0.1:8000)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/manyi demo
exec .venv/bin/manyi serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"

#!/usr/bin/env bash
# Prepares this checkout on a Debian machine: system packages, the virtualenv, the project.
#   scripts/setup.sh          what the web application needs
#   scripts/setup.sh --test   also what the test suite needs (Chromium for the browser tests,
#                             axe-core from the npm registry for the accessibility test)
# Safe to run again: installed packages are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
# fonts-noto-cjk: the Chinese fonts embedded in generated PDFs; pango: WeasyPrint's layout engine.
RUN_PACKAGES=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0)
# chromium: browser tests; ffmpeg: test videos; libreoffice-writer-nogui: DOCX → PDF in tests.
TEST_PACKAGES=(chromium ffmpeg libreoffice-writer-nogui)
extras=""
packages=("${RUN_PACKAGES[@]}")
if [ "${1:-}" = "--test" ]; then
  extras="[test]"
  packages+=("${TEST_PACKAGES[@]}")
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "安装 Debian 软件包：${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

if command -v dpkg >/dev/null 2>&1; then
  apt_install "${packages[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv "${PYTHON##*/}-venv"
    "$PYTHON" -m venv .venv
  fi
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extras}"

if [ "${1:-}" = "--test" ]; then
  # axe-core into tests/a11y/node_modules, at the version package-lock.json records.
  if [ ! -f tests/a11y/node_modules/axe-core/axe.min.js ]; then
    # npm from Debian only where the machine has no Node.js of its own.
    command -v npm >/dev/null 2>&1 || apt_install npm
    (cd tests/a11y && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

#!/usr/bin/env bash
# Set-up and run Teixit from a checkout.
#   ./dev.sh run    set everything up and open Teixit on the demo data (in ./demo-data)
#   ./dev.sh test   set everything up and run the test suite (lint, layer contract, tests);
#                   extra arguments go to pytest: ./dev.sh test -m slow runs the slow tests
# Needs Python >= 3.11. On Debian/Ubuntu it installs the system libraries Qt needs when missing
# (with sudo when not root).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv

# Libraries Qt's xcb/offscreen platforms load, fonts, the tools the tests use to read PDFs
# and QR codes back, and the validators of the Linux package's desktop file and metainfo (slow
# tests).
DEBIAN_PACKAGES=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libglib2.0-0 libzbar0 poppler-utils
  desktop-file-utils appstream)
# PostgreSQL (15 or newer): the office tests start a throwaway server of their own with it.
DEBIAN_PACKAGES+=(postgresql)

install_debian_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

setup_python() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  # Install only when pyproject.toml changed since the last install (a launch stays quick).
  local stamp="$VENV/.teixit-installed" wanted
  wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[test]"
    echo "$wanted" > "$stamp"
  fi
  "$VENV/bin/python" i18n/manage.py compile
}

case "${1:-}" in
  run)
    install_debian_packages
    setup_python
    DATA=${TEIXIT_DEMO_DIR:-./demo-data}
    if [ ! -f "$DATA/teixit.db" ]; then
      "$VENV/bin/teixit" --data-dir "$DATA" demo
    fi
    exec "$VENV/bin/teixit" --data-dir "$DATA"
    ;;
  test)
    install_debian_packages
    setup_python
    export QT_QPA_PLATFORM=offscreen
    "$VENV/bin/ruff" check app ui tests
    "$VENV/bin/lint-imports"
    "$VENV/bin/mypy"
    # One worker per core, whole files to a worker (their module fixtures stay shared);
    # TEIXIT_TEST_WORKERS=0 runs everything in this process. A worker that crashes ends the
    # run (red) instead of being replaced: a replaced worker can leave the run waiting forever.
    "$VENV/bin/python" -m pytest -q -n "${TEIXIT_TEST_WORKERS:-auto}" --dist loadfile \
      --max-worker-restart 0 "${@:2}"
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac

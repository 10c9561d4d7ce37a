#!/usr/bin/env bash
# Sets up everything the kiosk needs on a fresh Debian machine, then runs it or its tests.
#
#   bash setup.sh run [main.py arguments]   set up, then run the kiosk demo (windowed)
#   bash setup.sh test [pytest arguments]   set up with test tools, then run every check
#   bash setup.sh                           set up only
#
# As root it installs the missing Debian packages itself; otherwise it prints the exact
# apt-get line and stops. Re-running it when everything is in place takes seconds.
set -euo pipefail
cd "$(dirname "$0")"

MODE="${1:-setup}"
[ $# -gt 0 ] && shift

# Qt's runtime libraries (xcb platform), a CJK font so Chinese renders as text (and BabelStone
# Han for the rare ideographs of names, Ext A-F, that the receipt printer prints as an image),
# venv support; espeak-ng for speech, PortAudio for microphone and speaker, libusb for USB
# receipt printers.
APT_RUNTIME="libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 fonts-wqy-microhei
  fonts-babelstone-han
  python3 python3-venv pcscd libpcsclite1
  espeak-ng libespeak-ng1 libportaudio2 libusb-1.0-0 libzbar0"
# a real pcscd with the vsmartcard virtual reader for the social-security-card tests; swig and
# the PC/SC headers in case pyscard has to be built from source; a CUPS of the tests' own with
# the cups-pdf virtual printer for the A4 tests; Chromium for the console browser tests
# (Playwright drives /usr/bin/chromium: it cannot download a browser of its own here); systemd
# for systemd-analyze, which checks the unit files in deploy/ (a container may lack it); cage
# and XWayland to start the kiosk as deploy/kiosk.service does
APT_TEST="vsmartcard-vpcd libpcsclite-dev swig cups cups-client printer-driver-cups-pdf chromium
  systemd cage xwayland"

missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || printf '%s ' "$pkg"
    done
}

install_apt() {
    # shellcheck disable=SC2086 # word splitting of the package lists is intended
    local missing
    missing=$(missing_packages $APT_RUNTIME $([ "$MODE" = test ] && echo $APT_TEST))
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing Debian packages. Run this as root, then run setup.sh again:" >&2
        echo "  apt-get update && apt-get install -y --no-install-recommends $missing" >&2
        exit 1
    fi
    echo "Installing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

python_ok() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

install_venv() {
    local python=python3 extras="" hash installed
    python_ok "$python" || { echo "Python 3.11 or newer is needed as python3" >&2; exit 1; }
    [ "$MODE" = test ] && extras="[test]"
    if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
        rm -rf .venv
        "$python" -m venv .venv
    fi
    # reinstall only when the dependencies changed or the test tools are wanted and missing
    hash="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    installed="$(cat .venv/.installed 2>/dev/null || true)"
    if [ "$installed" = "$hash[test]" ] || [ "$installed" = "$hash$extras" ]; then
        return 0
    fi
    echo "Installing the project into .venv ..."
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".$extras"
    echo "$hash$extras" > .venv/.installed
}

install_apt
install_venv

case "$MODE" in
    run)
        exec .venv/bin/python main.py "$@" run --windowed
        ;;
    test)
        export QT_QPA_PLATFORM=offscreen
        echo "== ruff"; .venv/bin/ruff check .
        echo "== import contracts"; .venv/bin/lint-imports
        # pyright's settings: [tool.pyright] in pyproject.toml; no asking PyPI for a newer one
        echo "== types"
        PYRIGHT_PYTHON_IGNORE_WARNINGS=1 .venv/bin/pyright common devices offline_cache central flows kiosk ui
        # one worker per core, at most 4 (each starts its own pcscd, CUPS and Chromium); a file's
        # tests stay together on one worker, so its module fixtures are built once
        workers=$(nproc); [ "$workers" -gt 4 ] && workers=4
        echo "== tests ($workers workers)"
        # a crashed worker (pytest-timeout ends a stuck test with its process) is not replaced:
        # under --dist loadfile xdist 3.8 can wait for ever on the replacement (pytest-xdist
        # issues 784 and 1327), and the crashed test has failed already
        exec .venv/bin/python -m pytest -n "$workers" --dist loadfile --max-worker-restart=0 \
            --durations=20 "$@"
        ;;
    setup)
        echo "Set up. Run the kiosk with: .venv/bin/python main.py run --windowed"
        ;;
    *)
        echo "usage: bash setup.sh [run|test] [arguments]" >&2
        exit 2
        ;;
esac

#!/usr/bin/env bash
# Build the Linux bundle from a checkout:
#   dist/callcenter/                              the folder (executable `callcenter`, share/,
#                                                 install.sh, uninstall.sh)
#   dist/callcenter-VERSION-linux-ARCH.tar.gz     the same folder, for IT to unpack into /opt
# Needs python3 (3.11+) with venv, and the Qt runtime libraries the app needs anyway.
#
# Options:
#   --venv DIR      build with this existing virtualenv (where the app is installed; PyInstaller
#                   is added if missing) instead of a fresh build/venv
#   --dist DIR      output folder (default dist)
#   --work DIR      scratch folder (default build)
#   --no-self-test  skip running the bundle's self-test at the end
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VENV="" DIST=dist WORK=build SELF_TEST=1
while [ $# -gt 0 ]; do
    case "$1" in
        --venv) VENV=$2; shift 2 ;;
        --dist) DIST=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --no-self-test) SELF_TEST=0; shift ;;
        *) sed -n '2,14p' "$0" >&2; exit 2 ;;
    esac
done
PYINSTALLER_REQUIREMENT='pyinstaller>=6.10,<7'
mkdir -p "$DIST" "$WORK"
DIST=$(cd "$DIST" && pwd) WORK=$(cd "$WORK" && pwd)

if [ -z "$VENV" ]; then
    VENV=$WORK/venv
    [ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q "$ROOT" "$PYINSTALLER_REQUIREMENT"
elif ! "$VENV/bin/python" -c 'import PyInstaller' 2>/dev/null; then
    "$VENV/bin/python" -m pip install -q "$PYINSTALLER_REQUIREMENT"
fi
PY=$VENV/bin/python

VERSION=$("$PY" packaging/metadata.py version)
ARCH=$(uname -m)
BUNDLE=$DIST/callcenter
TARBALL=$DIST/callcenter-$VERSION-linux-$ARCH.tar.gz
echo "Building Call Center $VERSION for linux-$ARCH" >&2

rm -rf "$WORK/icons"
QT_QPA_PLATFORM=offscreen "$PY" packaging/render_icons.py "$WORK/icons" >/dev/null
CALLCENTER_ICONS=$WORK/icons "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK/pyinstaller" packaging/callcenter.spec

# What install.sh puts into /usr/local/share: desktop entries, AppStream metainfo, icons.
"$PY" packaging/metadata.py linux "$BUNDLE" >/dev/null
mkdir -p "$BUNDLE/share/icons"
cp -r "$WORK/icons/hicolor" "$BUNDLE/share/icons/"
install -m 755 packaging/linux/install.sh packaging/linux/uninstall.sh "$BUNDLE/"

"$BUNDLE/callcenter" --version
if [ "$SELF_TEST" = 1 ]; then
    # As IT would run it: an empty environment, no display.
    env -i LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen CALLCENTER_LOG_DIR="$WORK/self-test-logs" \
        "$BUNDLE/callcenter" --self-test
fi

rm -f "$TARBALL"
tar -C "$DIST" -czf "$TARBALL" callcenter
echo "$TARBALL ($(du -h "$TARBALL" | cut -f1); unpacked $(du -sh "$BUNDLE" | cut -f1))" >&2

#!/bin/sh
# Undo install.sh (run as root), then remove the folder itself, e.g. rm -rf /opt/callcenter.
# Users' settings, embedded databases and logs stay in their home folders (README, "For IT").
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-/usr/local}
[ "$(readlink "$PREFIX/bin/callcenter" 2>/dev/null)" = "$HERE/callcenter" ] \
    && rm -f "$PREFIX/bin/callcenter"
for file in "$HERE"/share/applications/*.desktop; do
    rm -f "$PREFIX/share/applications/$(basename "$file")"
done
for file in "$HERE"/share/metainfo/*.xml; do rm -f "$PREFIX/share/metainfo/$(basename "$file")"; done
(cd "$HERE/share" && find icons -type f) | while read -r icon; do rm -f "$PREFIX/share/$icon"; done
command -v update-desktop-database >/dev/null && update-desktop-database -q "$PREFIX/share/applications" || true
echo "Uninstalled. Now remove $HERE."

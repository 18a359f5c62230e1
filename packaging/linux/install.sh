#!/bin/sh
# Register this unpacked Call Center folder with the desktop (run as root):
#   tar -C /opt -xzf callcenter-VERSION-linux-x86_64.tar.gz && /opt/callcenter/install.sh
# Adds /usr/local/bin/callcenter, the menu entry, the tel:/callto: handler, icons and AppStream
# metadata under $PREFIX (default /usr/local). An upgrade is: unpack the new version over the
# old folder and run this again. uninstall.sh undoes it.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-/usr/local}
mkdir -p "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/metainfo"
ln -sfn "$HERE/callcenter" "$PREFIX/bin/callcenter"
for entry in "$HERE"/share/applications/*.desktop; do
    sed "s|^Exec=callcenter |Exec=$HERE/callcenter |" "$entry" \
        > "$PREFIX/share/applications/$(basename "$entry")"
done
cp "$HERE"/share/metainfo/*.xml "$PREFIX/share/metainfo/"
cp -r "$HERE/share/icons" "$PREFIX/share/"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$PREFIX/share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" || true
echo "Installed: $PREFIX/bin/callcenter -> $HERE/callcenter"
echo "Check it: env -i LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen $PREFIX/bin/callcenter --self-test"
echo "To make it every user's tel:/callto: handler, add to /etc/xdg/mimeapps.list:"
echo "  [Default Applications]"
for entry in "$HERE"/share/applications/*.pop.desktop; do
    echo "  x-scheme-handler/tel=$(basename "$entry")"
    echo "  x-scheme-handler/callto=$(basename "$entry")"
done

"""Render the app icon (an SVG) to the PNG sizes desktops use, plus .ico and .icns, with Qt.

    python packaging/render_icons.py OUTDIR

writes OUTDIR/hicolor/NxN/apps/APP_ID.png for each size in metadata.toml, OUTDIR/APP_ID.png
(256 px, for the window), and OUTDIR/callcenter.ico and OUTDIR/callcenter.icns (from the
largest size) where this Qt has the image writers (PySide6 wheels do).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import metadata  # beside this script, found through the path set above


def render(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    meta = metadata.load()
    renderer = QSvgRenderer(str(meta.icon_svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {meta.icon_svg}")
    written: list[Path] = []
    largest: QImage | None = None
    for size in sorted(meta.icon_sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out / "hicolor" / f"{size}x{size}" / "apps" / f"{meta.app_id}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"cannot write {path}")
        written.append(path)
        largest = image
    assert largest is not None, "metadata.toml lists no icon sizes"
    main_png = out / f"{meta.app_id}.png"
    largest.save(str(main_png), "PNG")
    written.append(main_png)
    for suffix in ("ico", "icns"):
        path = out / f"{meta.executable}.{suffix}"
        if largest.save(str(path), suffix.upper()):
            written.append(path)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for written in render(Path(sys.argv[1])):
        print(written)

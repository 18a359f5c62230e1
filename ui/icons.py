"""The icon set: `icon("phone")` draws resources/icons/phone.svg in the palette's text colour.

Icons are drawn on demand by a QIconEngine, so they are sharp at any size and device pixel ratio
and follow the palette: `currentColor` in the SVG becomes the application palette's window text
colour (its disabled colour for QIcon.Mode.Disabled, the highlighted text colour for
QIcon.Mode.Selected) at the moment the icon is painted, so a theme change needs no new icons.
`icon(name, severity="warning")` draws in the severity's colour instead (see ui.theme).
Renderers are cached per (file, colour) and pixmaps in QPixmapCache.
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
    QPixmapCache,
)
from PySide6.QtSvg import QSvgRenderer
from shiboken6 import Shiboken

from ui.resources import resources_dir
from ui.theme import Severity, status_colour

_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_STANDARD_SIZES = (16, 20, 24, 32, 48, 64, 128, 256)
# PySide leaves what clone() returns owned by Python, yet the QIcon that receives it deletes it.
# Each clone is kept referenced here until Qt has deleted it, so Python never frees it first.
_clones: list[QIconEngine] = []


class UnknownIconError(LookupError):
    """No SVG of that name in resources/icons."""


def icons_dir() -> Path:
    return resources_dir() / "icons"


def icon_names() -> list[str]:
    """Every name `icon()` accepts, sorted."""
    return sorted(path.stem for path in icons_dir().glob("*.svg"))


def icon(name: str, severity: Severity | str | None = None) -> QIcon:
    """The named icon in the palette's text colour, or in `severity`'s status colour.

    Raises UnknownIconError for a name with no resources/icons/<name>.svg.
    """
    level = None if severity is None else Severity(severity).value
    return QIcon(_cached_icon(name, level))


def app_icon() -> QIcon:
    """The application icon (resources/icons/app/callcenter.svg, in its own colours)."""
    return QIcon(_SvgIconEngine(icons_dir() / "app" / "callcenter.svg", recolour=False))


@cache
def _cached_icon(name: str, severity: str | None) -> QIcon:
    path = icons_dir() / f"{name}.svg"
    if not _NAME.fullmatch(name) or not path.is_file():
        raise UnknownIconError(
            f"no icon named {name!r} in {icons_dir()}; known: {', '.join(icon_names())}"
        )
    return QIcon(_SvgIconEngine(path, recolour=True, severity=severity))


@cache
def _svg(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=512)
def _renderer(path: Path, colour: str) -> QSvgRenderer:
    """A renderer of `path` with currentColor replaced by `colour` ("" keeps the file's own)."""
    svg = _svg(path)
    if colour:
        svg = svg.replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError(f"{path} is not a valid SVG")
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    return renderer


class _SvgIconEngine(QIconEngine):
    """Renders one SVG file at whatever size and device pixel ratio Qt asks for."""

    def __init__(self, path: Path, recolour: bool, severity: str | None = None) -> None:
        super().__init__()
        self._path = path
        self._recolour = recolour
        self._severity = severity

    def _colour(self, mode: QIcon.Mode) -> str:
        if not self._recolour:
            return ""
        palette = QGuiApplication.palette()
        if mode == QIcon.Mode.Disabled:
            colour = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        elif mode == QIcon.Mode.Selected:
            colour = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
        elif self._severity is not None:
            colour = status_colour(self._severity, palette)
        else:
            colour = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
        return QColor(colour).name()

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        _renderer(self._path, self._colour(mode)).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        colour = self._colour(mode)
        width = max(1, math.ceil(size.width() * scale))
        height = max(1, math.ceil(size.height() * scale))
        key = f"callcenter-icon|{self._path}|{colour}|{width}x{height}|{scale}"
        cached = QPixmap()
        if QPixmapCache.find(key, cached):
            return cached
        pixmap = QPixmap(width, height)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _renderer(self._path, colour).render(painter, QRectF(0, 0, width, height))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        QPixmapCache.insert(key, pixmap)
        return pixmap

    def availableSizes(
        self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off
    ) -> list[QSize]:
        return [QSize(side, side) for side in _STANDARD_SIZES]

    def clone(self) -> QIconEngine:
        # Called when a shared QIcon is modified (addPixmap, addFile): rare.
        _clones[:] = [engine for engine in _clones if Shiboken.isValid(engine)]
        engine = _SvgIconEngine(self._path, self._recolour, self._severity)
        _clones.append(engine)
        return engine

    def key(self) -> str:
        return "callcenter-svg"

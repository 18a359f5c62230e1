"""The look: Fusion, light and dark palettes that follow the system, and resources/styles/app.qss.

Call `apply_theme(app)` once, after creating the QApplication. The environment variable
`CALLCENTER_THEME=light|dark|system` overrides the system's colour scheme (default `system`, which
also follows the system when it changes while the app runs).

Dynamic properties styled by app.qss. Set them with `set_role(widget, role)` and
`set_severity(widget, severity)`, which also re-polish the widget; after a bare `setProperty` on a
visible widget, call `widget.style().polish(widget)` yourself. Values are plain strings.

- `role="card"` on a QFrame: a raised panel (card background, 1px border, rounded corners). Its
  layout gives the margins: `layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)`.
- `role="banner"` on a QLabel: a message strip ("Number withheld", "Database unreachable"),
  tinted by its `severity` (info when it has none).
- `role="title"` on a QLabel: larger and semibold (the customer's name on the card).
- `role="heading"` on a QLabel: semibold section heading.
- `role="muted"` on a QLabel: secondary text (captions, "last call 3 days ago").
- `severity="ok"|"info"|"warning"|"error"` on a QLabel: coloured text; on a banner, its tint.

Colour is never the only signal: put the words, or the icon `SEVERITY_ICONS[severity]`, beside it
(`ui.icons.icon(SEVERITY_ICONS[s], severity=s)` draws it in the severity's colour). Widgets that
paint use `status_colour(severity)`. Every severity colour has at least 4.5:1 contrast on the
window, base, card and banner backgrounds of both palettes (tests check it).

Layouts use `SPACING` between widgets and `MARGIN` inside panels.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from enum import StrEnum

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from ui.resources import resources_dir

log = logging.getLogger(__name__)

THEME_ENV = "CALLCENTER_THEME"
SPACING = 8
MARGIN = 12


class Scheme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


class Severity(StrEnum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


SEVERITY_ICONS: Mapping[Severity, str] = {
    Severity.OK: "check-circle",
    Severity.INFO: "info",
    Severity.WARNING: "alert-triangle",
    Severity.ERROR: "alert-circle",
}

_Role = QPalette.ColorRole
_PALETTES: dict[Scheme, dict[QPalette.ColorRole, str]] = {
    Scheme.LIGHT: {
        _Role.Window: "#f4f5f7",
        _Role.WindowText: "#1f2328",
        _Role.Base: "#ffffff",
        _Role.AlternateBase: "#f6f8fa",
        _Role.Text: "#1f2328",
        _Role.PlaceholderText: "#6e7781",
        _Role.Button: "#f6f7f9",
        _Role.ButtonText: "#1f2328",
        _Role.BrightText: "#ffffff",
        _Role.Light: "#ffffff",
        _Role.Midlight: "#e9ecef",
        _Role.Mid: "#c9ced4",
        _Role.Dark: "#9aa1a9",
        _Role.Shadow: "#6e7781",
        _Role.Highlight: "#0969da",
        _Role.HighlightedText: "#ffffff",
        _Role.Accent: "#0969da",
        _Role.Link: "#0969da",
        _Role.LinkVisited: "#8250df",
        _Role.ToolTipBase: "#ffffff",
        _Role.ToolTipText: "#1f2328",
    },
    Scheme.DARK: {
        _Role.Window: "#202327",
        _Role.WindowText: "#e6e8eb",
        _Role.Base: "#181a1d",
        _Role.AlternateBase: "#23262a",
        _Role.Text: "#e6e8eb",
        _Role.PlaceholderText: "#8b949e",
        _Role.Button: "#2b2f34",
        _Role.ButtonText: "#e6e8eb",
        _Role.BrightText: "#ffffff",
        _Role.Light: "#3b4047",
        _Role.Midlight: "#33373c",
        _Role.Mid: "#474d55",
        _Role.Dark: "#111315",
        _Role.Shadow: "#000000",
        _Role.Highlight: "#1f6feb",
        _Role.HighlightedText: "#ffffff",
        _Role.Accent: "#1f6feb",
        _Role.Link: "#58a6ff",
        _Role.LinkVisited: "#bc8cff",
        _Role.ToolTipBase: "#2b2f34",
        _Role.ToolTipText: "#e6e8eb",
    },
}
_DISABLED: dict[Scheme, dict[QPalette.ColorRole, str]] = {
    Scheme.LIGHT: {
        _Role.WindowText: "#8c959f",
        _Role.Text: "#8c959f",
        _Role.ButtonText: "#8c959f",
        _Role.Highlight: "#c9ced4",
        _Role.HighlightedText: "#ffffff",
    },
    Scheme.DARK: {
        _Role.WindowText: "#6e7681",
        _Role.Text: "#6e7681",
        _Role.ButtonText: "#6e7681",
        _Role.Highlight: "#33373c",
        _Role.HighlightedText: "#8b949e",
    },
}
# The @tokens of app.qss; a severity's name is its text colour, -bg and -border its banner's.
_TOKENS: dict[Scheme, dict[str, str]] = {
    Scheme.LIGHT: {
        "muted": "#59636e",
        "card": "#ffffff",
        "card-border": "#d0d7de",
        "ok": "#137333",
        "ok-bg": "#e6f4ea",
        "ok-border": "#a8d5b5",
        "info": "#0a5fc2",
        "info-bg": "#e7f1fc",
        "info-border": "#b6d4f5",
        "warning": "#8a5a00",
        "warning-bg": "#fff5d6",
        "warning-border": "#e9c46a",
        "error": "#b91c1c",
        "error-bg": "#ffebe9",
        "error-border": "#f5b5b0",
    },
    Scheme.DARK: {
        "muted": "#9aa3ad",
        "card": "#272b30",
        "card-border": "#3a3f46",
        "ok": "#3fb950",
        "ok-bg": "#16291d",
        "ok-border": "#2e5b3a",
        "info": "#58a6ff",
        "info-bg": "#15243a",
        "info-border": "#24497a",
        "warning": "#d29922",
        "warning-bg": "#2d2414",
        "warning-border": "#6b5016",
        "error": "#ff7b72",
        "error-bg": "#341a1c",
        "error-border": "#7a2a2d",
    },
}
_TOKEN = re.compile(r"@([a-z][a-z0-9-]*)")
_CONTROLLER_NAME = "callcenterThemeController"


def palette(scheme: Scheme) -> QPalette:
    """The full QPalette of `scheme` (all colour groups; the disabled group greyed)."""
    result = QPalette()
    for role, colour in _PALETTES[scheme].items():
        result.setColor(role, QColor(colour))
    for role, colour in _DISABLED[scheme].items():
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return result


def current_scheme(of: QPalette | None = None) -> Scheme:
    """Dark if the palette (the application's by default) has a darker window than its text."""
    pal = of if of is not None else QGuiApplication.palette()
    window = pal.color(_Role.Window).lightness()
    return Scheme.DARK if window < pal.color(_Role.WindowText).lightness() else Scheme.LIGHT


def status_colour(severity: Severity | str, of: QPalette | None = None) -> QColor:
    """The text colour of `severity` for the palette in use (or `of`), for widgets that paint."""
    return QColor(_TOKENS[current_scheme(of)][Severity(severity).value])


def load_stylesheet(scheme: Scheme, font: QFont | None = None) -> str:
    """app.qss with its @tokens filled in for `scheme` (title sizes relative to `font`)."""
    base = font if font is not None else QGuiApplication.font()
    if base.pointSizeF() > 0:
        title = f"{base.pointSizeF() * 1.4:.1f}pt"
    else:
        title = f"{round(base.pixelSize() * 1.4)}px"
    tokens = {**_TOKENS[scheme], "title-size": title}
    text = (resources_dir() / "styles" / "app.qss").read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        try:
            return tokens[match.group(1)]
        except KeyError:
            raise ValueError(f"app.qss uses an unknown token @{match.group(1)}") from None

    return _TOKEN.sub(fill, text)


def set_role(widget: QWidget, role: str | None) -> None:
    """Set (or clear, with None) the `role` dynamic property and re-polish the widget."""
    _set_property(widget, "role", role)


def set_severity(widget: QWidget, severity: Severity | str | None) -> None:
    """Set (or clear, with None) the `severity` dynamic property and re-polish the widget."""
    _set_property(widget, "severity", None if severity is None else Severity(severity).value)


def _set_property(widget: QWidget, name: str, value: str | None) -> None:
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def _mode(requested: str | None) -> str:
    if requested is not None:
        if requested not in ("light", "dark", "system"):
            raise ValueError(f"theme must be light, dark or system, not {requested!r}")
        return requested
    value = os.environ.get(THEME_ENV, "system").strip().lower() or "system"
    if value not in ("light", "dark", "system"):
        log.warning("%s=%r is not light, dark or system; following the system", THEME_ENV, value)
        return "system"
    return value


class _ThemeController(QObject):
    """Holds the theme mode and re-applies the theme when the system's colour scheme changes."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_CONTROLLER_NAME)
        self._app = app
        self.mode = "system"
        self._applying = False
        # The platform's own palette, for a system that does not report its colour scheme.
        self._fallback = current_scheme(app.palette())
        app.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    def scheme(self) -> Scheme:
        if self.mode != "system":
            return Scheme(self.mode)
        reported = self._app.styleHints().colorScheme()
        if reported == Qt.ColorScheme.Dark:
            return Scheme.DARK
        if reported == Qt.ColorScheme.Light:
            return Scheme.LIGHT
        return self._fallback

    def apply(self) -> Scheme:
        self._applying = True
        try:
            self._request_scheme()
            scheme = self.scheme()
            self._app.setStyle("Fusion")
            self._app.setPalette(palette(scheme))
            self._app.setStyleSheet(load_stylesheet(scheme, self._app.font()))
        finally:
            self._applying = False
        return scheme

    def _request_scheme(self) -> None:
        """Ask Qt 6.8+ for the forced scheme too, so native title bars and dialogs match."""
        hints = self._app.styleHints()
        if not hasattr(hints, "setColorScheme"):
            return
        if self.mode == "system":
            hints.unsetColorScheme()
        else:
            dark = self.mode == "dark"
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)

    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.mode == "system" and not self._applying:
            self.apply()


def apply_theme(app: QApplication, mode: str | None = None) -> Scheme:
    """Style `app`: Fusion, the palette for `mode` (light, dark, system; default from
    CALLCENTER_THEME, else system) and app.qss. Returns the scheme applied. Safe to call again."""
    controller = app.findChild(_ThemeController, _CONTROLLER_NAME)
    if controller is None:
        controller = _ThemeController(app)
    controller.mode = _mode(mode)
    return controller.apply()

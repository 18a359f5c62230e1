"""Every icon renders cleanly at any size; the theme gives light and dark palettes and app.qss."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel

from ui import theme
from ui.icons import UnknownIconError, app_icon, icon, icon_names, icons_dir
from ui.resources import resources_dir
from ui.theme import Scheme, Severity, apply_theme, load_stylesheet, set_role, set_severity

ICON_FILES = sorted(icons_dir().glob("*.svg"))
APP_ICON = icons_dir() / "app" / "callcenter.svg"
REQUIRED = [
    "phone",
    "phone-incoming",
    "phone-outgoing",
    "phone-off",
    "phone-call",
    "pause",
    "play",
    "user",
    "users",
    "user-plus",
    "search",
    "edit",
    "save",
    "check-circle",
    "coffee",
    "log-out",
    "clock",
    "alert-triangle",
    "alert-circle",
    "x-circle",
    "database",
    "wifi",
    "wifi-off",
    "bell",
    "help-circle",
    "keyboard",
    "refresh-cw",
    "link",
    "hash",
    "calendar",
    "message-square",
    "list",
    "bar-chart-2",
    "info",
    "headphones",
]


@pytest.fixture
def restore_app(qapp):
    """Put back the application's style, palette and stylesheet after a test themes it."""
    style, palette, sheet = qapp.style().name(), QPalette(qapp.palette()), qapp.styleSheet()
    yield qapp
    for controller in qapp.findChildren(QObject, theme._CONTROLLER_NAME):
        controller.setParent(None)
    if hasattr(qapp.styleHints(), "unsetColorScheme"):
        qapp.styleHints().unsetColorScheme()
    qapp.setStyleSheet(sheet)
    if style:  # empty when a stylesheet was set: QStyleSheetStyle has no name
        qapp.setStyle(style)
    qapp.setPalette(palette)


def opaque_pixels(image: QImage) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 0
    ]


def solid_colour(pixmap) -> str:
    """The colour of the icon's fully opaque pixels (its stroke, without the antialiased edge)."""
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
    solid = {colour.name() for colour in opaque_pixels(image) if colour.alpha() == 255}
    assert len(solid) == 1, solid
    return solid.pop()


def contrast(a: QColor, b: QColor) -> float:
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_resources_are_found_in_the_checkout():
    assert (resources_dir() / "styles" / "app.qss").is_file()
    assert APP_ICON.is_file()


def test_every_required_icon_exists():
    assert set(REQUIRED) <= set(icon_names())


@pytest.mark.parametrize("path", ICON_FILES, ids=lambda path: path.stem)
def test_icon_follows_the_set_conventions(path):
    root = ET.parse(path).getroot()
    assert root.get("viewBox") == "0 0 24 24"
    assert root.get("fill") == "none"
    assert root.get("stroke") == "currentColor"
    assert root.get("stroke-width") == "2"
    assert root.get("stroke-linecap") == root.get("stroke-linejoin") == "round"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem)
    assert "#" not in path.read_text(), "an icon takes its colour from the palette"


@pytest.mark.parametrize("path", [*ICON_FILES, APP_ICON], ids=lambda path: path.stem)
@pytest.mark.parametrize("side", [16, 48])
def test_icon_parses_and_renders(qapp, path, side):
    assert QSvgRenderer(str(path)).isValid()
    drawn = app_icon() if path == APP_ICON else icon(path.stem)
    pixmap = drawn.pixmap(QSize(side, side))
    assert (pixmap.width(), pixmap.height()) == (side, side)
    painted = len(opaque_pixels(pixmap.toImage()))
    assert painted >= side * side // 20, f"{path.name} drew only {painted} pixels at {side} px"


def test_icon_is_rendered_at_the_device_pixel_ratio(qapp):
    pixmap = icon("phone").pixmap(QSize(24, 24), 2.0)
    assert (pixmap.width(), pixmap.height(), pixmap.devicePixelRatio()) == (48, 48, 2.0)
    at_one = icon("phone").pixmap(24).toImage()
    assert len(opaque_pixels(pixmap.toImage())) > len(opaque_pixels(at_one))


def test_unknown_icon_raises_a_clear_error(qapp):
    with pytest.raises(UnknownIconError, match=r"no icon named 'phone-booth'.*known: .*phone"):
        icon("phone-booth")
    with pytest.raises(UnknownIconError):
        icon("../icons/phone")


def test_icon_takes_the_palette_text_colour_and_follows_a_theme_change(restore_app):
    apply_theme(restore_app, "light")
    palette = restore_app.palette()
    phone = icon("phone")
    assert solid_colour(phone.pixmap(24)) == palette.color(QPalette.ColorRole.WindowText).name()
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name()
    assert solid_colour(phone.pixmap(QSize(24, 24), 1.0, QIcon.Mode.Disabled)) == disabled
    apply_theme(restore_app, "dark")
    dark_text = restore_app.palette().color(QPalette.ColorRole.WindowText).name()
    assert solid_colour(phone.pixmap(24)) == dark_text


def test_severity_icon_takes_the_status_colour(restore_app):
    apply_theme(restore_app, "light")
    warning = icon(theme.SEVERITY_ICONS[Severity.WARNING], severity="warning")
    assert solid_colour(warning.pixmap(24)) == theme.status_colour("warning").name()


def test_a_modified_copy_of_an_icon_still_draws(qapp):
    copy = QIcon(icon("user"))
    copy.addPixmap(copy.pixmap(8))  # detaches: Qt clones the engine
    assert opaque_pixels(copy.pixmap(24).toImage())


@pytest.mark.parametrize("forced", ["dark", "light"])
def test_theme_forced_by_the_environment(restore_app, monkeypatch, forced):
    monkeypatch.setenv(theme.THEME_ENV, forced)
    assert apply_theme(restore_app) == Scheme(forced)
    palette = restore_app.palette()
    window = palette.color(QPalette.ColorRole.Window).lightness()
    text = palette.color(QPalette.ColorRole.WindowText).lightness()
    assert (window < text) == (forced == "dark")
    restore_app.setStyleSheet("")  # QStyleSheetStyle, wrapping Fusion, has no name of its own
    assert restore_app.style().name() == "fusion"
    assert theme.current_scheme() == Scheme(forced)


def test_an_unknown_theme_name_follows_the_system(restore_app, monkeypatch, caplog):
    monkeypatch.setenv(theme.THEME_ENV, "purple")
    assert apply_theme(restore_app) in (Scheme.LIGHT, Scheme.DARK)
    assert "purple" in caplog.text
    with pytest.raises(ValueError, match="light, dark or system"):
        apply_theme(restore_app, "purple")


def test_system_theme_is_reapplied_when_the_system_scheme_changes(restore_app, monkeypatch):
    apply_theme(restore_app, "light")
    apply_theme(restore_app, "system")
    monkeypatch.setattr(theme._ThemeController, "scheme", lambda self: Scheme.DARK)
    restore_app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current_scheme() == Scheme.DARK


@pytest.mark.parametrize("scheme", list(Scheme))
def test_stylesheet_loads_with_every_token_filled(restore_app, scheme):
    sheet = load_stylesheet(scheme)
    assert 'QLabel[role="banner"]' in sheet
    assert 'QFrame[role="card"]' in sheet
    assert "@" not in sheet
    assert apply_theme(restore_app, scheme.value) == scheme
    assert restore_app.styleSheet() == load_stylesheet(scheme, restore_app.font())


def test_severity_property_colours_a_label(restore_app, qtbot):
    apply_theme(restore_app, "dark")
    label = QLabel("Database unreachable")
    qtbot.addWidget(label)
    set_role(label, "banner")
    set_severity(label, Severity.ERROR)
    label.ensurePolished()
    assert label.property("severity") == "error"
    expected = theme.status_colour("error").name()
    assert label.palette().color(QPalette.ColorRole.WindowText).name() == expected
    set_severity(label, None)
    assert label.property("severity") is None


@pytest.mark.parametrize("scheme", list(Scheme))
def test_severity_colours_are_readable_on_every_background(scheme):
    palette = theme.palette(scheme)
    tokens = theme._TOKENS[scheme]
    backgrounds = {
        "window": palette.color(QPalette.ColorRole.Window),
        "base": palette.color(QPalette.ColorRole.Base),
        "card": QColor(tokens["card"]),
    }
    for severity in Severity:
        text = theme.status_colour(severity, palette)
        banner = QColor(tokens[f"{severity.value}-bg"])
        for name, background in {**backgrounds, "banner": banner}.items():
            ratio = contrast(text, background)
            assert ratio >= 4.5, f"{severity} on {name} in {scheme}: {ratio:.2f}"
    muted = QColor(tokens["muted"])
    assert min(contrast(muted, background) for background in backgrounds.values()) >= 4.5

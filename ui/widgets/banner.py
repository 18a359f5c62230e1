"""A message strip above a form or card (role "banner" in ui.theme): a symbol and words, tinted
by severity, so colour is never the only signal."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ui.theme import Severity, set_role, set_severity

_SYMBOLS = {
    Severity.OK: "\u2714",
    Severity.INFO: "\u2139",
    Severity.WARNING: "\u26a0",
    Severity.ERROR: "\u2716",
}


class Banner(QLabel):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.severity = Severity.INFO
        self._message = ""
        set_role(self, "banner")
        self.hide()

    def show_message(self, text: str, severity: Severity | str = Severity.INFO) -> None:
        self.severity = Severity(severity)
        self._message = text
        set_severity(self, self.severity)
        self.setText(f"{_SYMBOLS[self.severity]}  {text}")
        self.setAccessibleDescription(f"{self.severity.value}: {text}")
        self.show()

    def message(self) -> str:
        """The words shown, without the severity symbol."""
        return self._message

    def clear(self) -> None:
        self._message = ""
        super().clear()
        self.hide()

"""The sign-in dialog: who you are, which database, and whether to remember the password.

Connecting, checking the schema and checking the password all run off the GUI thread; the
dialog shows a busy bar meanwhile and each failure as a sentence, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from callcenter.config import Settings
from callcenter.config.secrets import SecretStore
from callcenter.config.settings import mask
from callcenter.domain.errors import CallCenterError
from callcenter.services.desk_session import DeskSession, desk_keyring_account, start_session
from ui.icons import app_icon
from ui.workers import Background


@dataclass(frozen=True)
class Profile:
    name: str
    url: str


def profiles_of(settings: Settings) -> list[Profile]:
    """The configured database first, then the named profiles IT deployed."""
    configured = [Profile("Configured database", settings.database_url)]
    named = [Profile(name, url) for name, url in settings.database_profiles.items()]
    return configured + [p for p in named if p.url != settings.database_url]


class SignInDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        secrets: SecretStore,
        background: Background | None = None,
        login: str | None = None,
        demo_password: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Sign in to Call Center"))
        self.setWindowIcon(app_icon())
        self.session: DeskSession | None = None
        self._secrets = secrets
        self._background = background or Background(self)
        self._keyring = secrets.available

        self.profile = QComboBox()
        self.profile.setObjectName("signInProfile")
        for profile in profiles_of(settings):
            self.profile.addItem(profile.name, profile.url)
            self.profile.setItemData(
                self.profile.count() - 1, _masked(profile.url), Qt.ItemDataRole.ToolTipRole
            )
        self.login = QLineEdit()
        self.login.setObjectName("signInLogin")
        self.password = QLineEdit()
        self.password.setObjectName("signInPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("&Remember my password on this computer"))
        self.remember.setObjectName("signInRemember")
        if not self._keyring:
            self.remember.setEnabled(False)
            self.remember.setToolTip(
                self.tr("This computer has no password keyring: you will be asked each time.")
            )
        self.hint = QLabel()
        self.hint.setObjectName("signInHint")
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "banner")
        self.hint.hide()
        self.error = QLabel()
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setProperty("severity", "error")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("signInProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(self.tr("&Sign in"))
        self.sign_in_button.setObjectName("signInButton")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("&Database"), self.profile)
        form.addRow(self.tr("&User name"), self.login)
        form.addRow(self.tr("&Password"), self.password)
        form.addRow("", self.remember)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

        self._restore(login)
        if demo_password is not None:
            self.hint.setText(
                self.tr("Demo database: sign in as {0} with the password {1}.").format(
                    self.login.text(), demo_password
                )
            )
            self.hint.show()
            self.password.setText(demo_password)
        self.profile.currentIndexChanged.connect(self._fill_remembered)
        self.login.editingFinished.connect(self._fill_remembered)
        (self.password if self.login.text() else self.login).setFocus()

    # -- remembered values -----------------------------------------------------------------

    def _restore(self, login: str | None) -> None:
        stored = QSettings()
        index = self.profile.findText(str(stored.value("signIn/profile", "")))
        if index >= 0:
            self.profile.setCurrentIndex(index)
        self.login.setText(login or str(stored.value("signIn/login", "")))
        self._fill_remembered()

    def _account(self) -> str:
        return desk_keyring_account(self.profile.currentData(), self.login.text().strip().lower())

    def _fill_remembered(self) -> None:
        if not self._keyring or not self.login.text().strip():
            return
        remembered = self._secrets.get(self._account())
        if remembered is not None:
            self.password.setText(remembered)
            self.remember.setChecked(True)

    # -- signing in ------------------------------------------------------------------------

    def submit(self) -> None:
        url = self.profile.currentData()
        login, password = self.login.text().strip().lower(), self.password.text()
        remember, account, secrets = self.remember.isChecked(), self._account(), self._secrets
        keyring = self._keyring

        def work() -> DeskSession:
            session = start_session(url, login, password)
            if keyring and remember:
                secrets.set(account, password)
            elif keyring:
                secrets.delete(account)
            return session

        self._busy(True)
        self._background.run(work, self._signed_in, self._refused)

    def _signed_in(self, session: DeskSession) -> None:
        self._busy(False)
        self.session = session
        stored = QSettings()
        stored.setValue("signIn/profile", self.profile.currentText())
        stored.setValue("signIn/login", session.user.login)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self._busy(False)
        if isinstance(exc, CallCenterError):
            message = str(exc)
        else:
            message = self.tr("Could not sign in: {0}").format(exc)
        self.error.setText("⚠ " + message)
        self.error.show()
        self.password.setFocus()
        self.password.selectAll()

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        if busy:
            self.error.hide()
        for widget in (self.profile, self.login, self.password, self.sign_in_button):
            widget.setEnabled(not busy)
        self.remember.setEnabled(not busy and self._keyring)

    def reject(self) -> None:
        if not self.progress.isVisible():
            super().reject()


def _masked(url: str) -> str:
    return mask("database.url", url)

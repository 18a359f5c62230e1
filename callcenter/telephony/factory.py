"""Building the configured adapter: settings and the keyring in, a `Telephony` (or none) out."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from callcenter.config.secrets import SecretStore
from callcenter.config.settings import ConfigError, Settings
from callcenter.domain.calls import CallSource
from callcenter.telephony.address import address_for
from callcenter.telephony.port import EventSink, Telephony
from callcenter.telephony.runtime import Backoff

SECRET_ENV = "CALLCENTER_AMI_SECRET"


@dataclass(frozen=True)
class TelephonyConfig:
    adapter: str
    host: str
    port: int
    extension: str = ""
    ami_username: str = ""
    dial_context: str = "from-internal"

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @classmethod
    def from_settings(
        cls, settings: Settings, adapter: str | None = None, address: str | None = None
    ) -> TelephonyConfig:
        """The settings' telephony, with `adapter` and `address` overriding them if given."""
        chosen = adapter or settings.telephony_adapter
        if chosen == "none":
            return cls("none", "", 0)
        # An address configured for one adapter means nothing to another given on the spot.
        configured = address or (
            settings.telephony_address if chosen == settings.telephony_adapter else ""
        )
        try:
            host, port = address_for(chosen, configured)
        except ValueError as exc:
            raise ConfigError(f"telephony.address {exc}") from None
        return cls(
            chosen,
            host,
            port,
            settings.telephony_extension,
            settings.ami_username,
            settings.dial_context,
        )


def call_source(config: TelephonyConfig) -> CallSource:
    """How calls from this adapter are marked when saved: the softphone's or the PBX's."""
    return CallSource.PBX if config.adapter == "ami" else CallSource.SOFTPHONE


def ami_secret_account(config: TelephonyConfig) -> str:
    """The keyring entry of the AMI secret: `ami:USER@HOST:PORT`."""
    return f"ami:{config.ami_username}@{config.address}"


def stored_ami_secret(
    config: TelephonyConfig, secrets: SecretStore, environ: Mapping[str, str] | None = None
) -> str | None:
    """The AMI secret from CALLCENTER_AMI_SECRET (for scripts) or the keyring; None if neither."""
    environ = os.environ if environ is None else environ
    return environ.get(SECRET_ENV) or secrets.get(ami_secret_account(config))


def create_telephony(
    config: TelephonyConfig,
    on_event: EventSink,
    secret: str | None = None,
    backoff: Backoff | None = None,
) -> Telephony | None:
    """The adapter `config` names, not yet started; None for `none`.

    Raises ConfigError when a setting the adapter needs is missing.
    """
    if config.adapter == "none":
        return None
    if config.adapter == "baresip":
        from callcenter.telephony.baresip import BaresipTelephony

        return BaresipTelephony(config.host, config.port, on_event, backoff=backoff)
    if config.adapter == "ami":
        from callcenter.telephony.ami import AmiTelephony

        if "/" not in config.extension:
            raise ConfigError(
                "telephony.extension must be the agent's AMI interface, e.g. PJSIP/201"
            )
        if not config.ami_username:
            raise ConfigError("telephony.ami_username is not set (the manager.conf user)")
        if secret is None:
            raise ConfigError(
                f"no AMI secret for {ami_secret_account(config)}: store it with "
                "`callcenter cti secret`"
            )
        return AmiTelephony(
            config.host,
            config.port,
            on_event,
            username=config.ami_username,
            secret=secret,
            interface=config.extension,
            context=config.dial_context,
            backoff=backoff,
        )
    raise ConfigError(f"telephony.adapter {config.adapter!r} is not known")

"""Layered settings: defaults < system file < user file < environment < command-line flags."""

from __future__ import annotations

import locale
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from callcenter.config import paths
from callcenter.config.callback_options import CALLBACK_ATTRIBUTES, CALLBACK_OPTIONS
from callcenter.telephony.address import ADAPTERS, parse_address


class ConfigError(Exception):
    """A setting is missing, malformed or of the wrong type; the message names file and key."""


def _default_region() -> str:
    try:
        name = locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    region = name.replace("-", "_").split("_")[-1].upper() if "_" in name or "-" in name else ""
    return region if region in phonenumbers.SUPPORTED_REGIONS else "US"


def _default_timezone() -> str:
    import tzlocal

    try:
        return tzlocal.get_localzone_name() or "UTC"
    except Exception:  # tzlocal raises several kinds on odd systems; UTC is a safe answer
        return "UTC"


def _default_database_url() -> str:
    return f"sqlite:///{paths.default_database_path()}"


def _parse_url(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a database URL such as postgresql://host/callcenter")
    try:
        url = make_url(value.strip())
    except ArgumentError as exc:
        raise ValueError(f"is not a database URL ({exc})") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(
            f"backend {url.get_backend_name()!r} is not supported (sqlite, postgresql)"
        )
    return value.strip()


def parse_region(value: Any) -> str:
    region = str(value).strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"{value!r} is not an ISO 3166 region code phonenumbers knows (e.g. US)")
    return region


def _parse_prefix(value: Any) -> str:
    prefix = str(value).strip()
    if prefix and not prefix.isdigit():
        raise ValueError(f"{value!r} must be digits only, such as 9")
    return prefix


def _parse_timezone(value: Any) -> str:
    name = str(value).strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Paris)") from None
    return name


def _parse_profiles(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError('must be a table of names to URLs, e.g. { North = "postgresql://..." }')
    profiles: dict[str, str] = {}
    for name, url in value.items():
        try:
            profiles[str(name)] = _parse_url(url)
        except ValueError as exc:
            raise ValueError(f"profile {name!r} {exc}") from None
    return profiles


def _parse_reasons(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError('must be a list of reasons, e.g. ["Lunch", "Training"]')
    reasons = tuple(str(item).strip() for item in items if str(item).strip())
    if not reasons:
        raise ValueError("must name at least one reason")
    return reasons


WRAP_UP_MODES = ("optional", "mandatory", "timed")


def _parse_wrap_up_mode(value: Any) -> str:
    mode = str(value).strip().lower()
    if mode not in WRAP_UP_MODES:
        raise ValueError(f"{value!r} must be one of {', '.join(WRAP_UP_MODES)}")
    return mode


def _parse_wrap_up_seconds(value: Any) -> int:
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} must be a whole number of seconds") from None
    if not 5 <= seconds <= 3600:
        raise ValueError(f"{seconds} must be between 5 and 3600 seconds")
    return seconds


def _parse_code(value: Any) -> str:
    code = str(value).strip()
    if not code:
        raise ValueError("must be a disposition code such as wrap_up_timeout")
    return code


def _parse_adapter(value: Any) -> str:
    adapter = str(value).strip().lower()
    if adapter not in ADAPTERS:
        raise ValueError(f"{value!r} must be one of {', '.join(ADAPTERS)}")
    return adapter


def _parse_address(value: Any) -> str:
    text = str(value).strip()
    if text:
        parse_address(text, default_port=0)  # the port may be left to the adapter's default
    return text


def _parse_word(value: Any) -> str:
    """A name without spaces (an AMI user, a dialplan context, PJSIP/201); may be empty."""
    word = str(value).strip()
    if any(c.isspace() for c in word):
        raise ValueError(f"{value!r} must not contain spaces")
    return word


def _parse_whole(value: Any, low: int, high: int, unit: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} must be a whole number of {unit}") from None
    if not low <= number <= high:
        raise ValueError(f"{number} must be between {low} and {high} {unit}")
    return number


def _parse_reopen_days(value: Any) -> int:
    return _parse_whole(value, 0, 365, "days")


def _parse_sweep_seconds(value: Any) -> int:
    return _parse_whole(value, 5, 3600, "seconds")


def _parse_share(value: Any) -> float:
    try:
        share = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} must be a fraction such as 0.75") from None
    if not 0 < share < 1:
        raise ValueError(f"{share} must be between 0 and 1 (0.75 is 75 %)")
    return share


@dataclass(frozen=True)
class Option:
    key: str
    default: Callable[[], Any]
    parse: Callable[[Any], Any]
    env: str
    help: str
    secret: bool = False


OPTIONS: tuple[Option, ...] = (
    Option(
        "database.url",
        _default_database_url,
        _parse_url,
        "CALLCENTER_DB",
        "Database URL: sqlite:///PATH or postgresql://USER@HOST/DB (password from keyring)",
    ),
    Option(
        "phone.default_region",
        _default_region,
        parse_region,
        "CALLCENTER_REGION",
        "Region for numbers written without a country code (ISO code, e.g. US)",
    ),
    Option(
        "phone.outside_line_prefix",
        lambda: "",
        _parse_prefix,
        "CALLCENTER_OUTSIDE_PREFIX",
        "Digits the PBX adds before outside caller ids (e.g. 9); stripped before lookup",
    ),
    Option(
        "reports.timezone",
        _default_timezone,
        _parse_timezone,
        "CALLCENTER_TIMEZONE",
        "IANA time zone that report dates and intervals are in",
    ),
    Option(
        "database.profiles",
        dict,
        _parse_profiles,
        "",
        'Named databases the sign-in dialog offers, e.g. { Training = "sqlite:///..." }',
    ),
    Option(
        "agent.break_reasons",
        lambda: ("Lunch", "Coffee", "Training", "Meeting", "Personal"),
        _parse_reasons,
        "CALLCENTER_BREAK_REASONS",
        "Reason codes an agent picks when going on break (comma-separated in the environment)",
    ),
    Option(
        "calls.wrap_up_mode",
        lambda: "mandatory",
        _parse_wrap_up_mode,
        "CALLCENTER_WRAP_UP_MODE",
        "After-call work: optional, mandatory (disposition first) or timed (saved after N s)",
    ),
    Option(
        "calls.wrap_up_seconds",
        lambda: 60,
        _parse_wrap_up_seconds,
        "CALLCENTER_WRAP_UP_SECONDS",
        "Seconds of after-call work in timed mode before the call is saved automatically",
    ),
    Option(
        "calls.timeout_disposition",
        lambda: "wrap_up_timeout",
        _parse_code,
        "CALLCENTER_TIMEOUT_DISPOSITION",
        "Disposition code written when timed wrap-up runs out",
    ),
    Option(
        "telephony.adapter",
        lambda: "none",
        _parse_adapter,
        "CALLCENTER_TELEPHONY",
        "How calls reach this desk: none, baresip (the agent's softphone) or ami (Asterisk)",
    ),
    Option(
        "telephony.address",
        lambda: "",
        _parse_address,
        "CALLCENTER_TELEPHONY_ADDRESS",
        "HOST:PORT of baresip's ctrl_tcp (default 127.0.0.1:4444) or of Asterisk's AMI (:5038)",
    ),
    Option(
        "telephony.extension",
        lambda: "",
        _parse_word,
        "CALLCENTER_EXTENSION",
        "The agent's phone as the PBX names it (AMI interface, e.g. PJSIP/201)",
    ),
    Option(
        "telephony.ami_username",
        lambda: "",
        _parse_word,
        "CALLCENTER_AMI_USER",
        "AMI user (manager.conf); its secret is in the keyring (`callcenter cti secret`)",
    ),
    Option(
        "telephony.dial_context",
        lambda: "from-internal",
        _parse_word,
        "CALLCENTER_DIAL_CONTEXT",
        "Dialplan context AMI click-to-dial calls are placed in",
    ),
    Option(
        "complaints.reopen_days",
        lambda: 14,
        _parse_reopen_days,
        "CALLCENTER_COMPLAINT_REOPEN_DAYS",
        "Days after resolution during which a complaint may be reopened",
    ),
    Option(
        "complaints.at_risk_share",
        lambda: 0.75,
        _parse_share,
        "CALLCENTER_COMPLAINT_AT_RISK",
        "Share of an SLA target after which a complaint is at risk (0.75 is 75 %)",
    ),
    Option(
        "complaints.sweep_seconds",
        lambda: 60,
        _parse_sweep_seconds,
        "CALLCENTER_COMPLAINT_SWEEP_SECONDS",
        "Seconds between the desktop's escalation sweeps",
    ),
    *(Option(*spec) for spec in CALLBACK_OPTIONS),
)
OPTIONS_BY_KEY = {option.key: option for option in OPTIONS}


@dataclass(frozen=True)
class Settings:
    """The effective settings and, for `config show`, where each value came from."""

    database_url: str
    default_region: str
    outside_line_prefix: str
    report_timezone: str
    database_profiles: Mapping[str, str] = field(default_factory=dict)
    break_reasons: tuple[str, ...] = ("Lunch", "Coffee", "Training", "Meeting", "Personal")
    wrap_up_mode: str = "mandatory"
    wrap_up_seconds: int = 60
    timeout_disposition: str = "wrap_up_timeout"
    telephony_adapter: str = "none"
    telephony_address: str = ""
    telephony_extension: str = ""
    ami_username: str = ""
    dial_context: str = "from-internal"
    complaint_reopen_days: int = 14
    complaint_at_risk_share: float = 0.75
    complaint_sweep_seconds: int = 60
    callback_calling_hours: str = "08:00-21:00"
    callback_business_days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    callback_conflict_minutes: int = 15
    callback_reminder_lead_minutes: int = 5
    callback_claim_minutes: int = 10
    callback_private_grace_minutes: int = 30
    callback_max_attempts: int = 3
    callback_retry_spacing_minutes: int = 60
    callback_close_on_inbound: bool = False
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def value(self, key: str) -> Any:
        return getattr(self, _ATTRIBUTE[key])

    def with_overrides(self, **changes: Any) -> Settings:
        values = {name: getattr(self, name) for name in _ATTRIBUTE.values()}
        values.update(changes)
        sources = dict(self.sources)
        for key, name in _ATTRIBUTE.items():
            if name in changes:
                sources[key] = "override"
        return Settings(**values, sources=sources, warnings=self.warnings)


_ATTRIBUTE = {
    "database.url": "database_url",
    "phone.default_region": "default_region",
    "phone.outside_line_prefix": "outside_line_prefix",
    "reports.timezone": "report_timezone",
    "database.profiles": "database_profiles",
    "agent.break_reasons": "break_reasons",
    "calls.wrap_up_mode": "wrap_up_mode",
    "calls.wrap_up_seconds": "wrap_up_seconds",
    "calls.timeout_disposition": "timeout_disposition",
    "telephony.adapter": "telephony_adapter",
    "telephony.address": "telephony_address",
    "telephony.extension": "telephony_extension",
    "telephony.ami_username": "ami_username",
    "telephony.dial_context": "dial_context",
    "complaints.reopen_days": "complaint_reopen_days",
    "complaints.at_risk_share": "complaint_at_risk_share",
    "complaints.sweep_seconds": "complaint_sweep_seconds",
    **CALLBACK_ATTRIBUTES,
}


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        # A table that is itself one setting (database.profiles) stays whole.
        if isinstance(value, Mapping) and key not in OPTIONS_BY_KEY:
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def read_config_file(path: Path) -> dict[str, Any]:
    """The file's settings flattened to dotted keys; {} when the file does not exist."""
    try:
        with path.open("rb") as handle:
            return _flatten(tomllib.load(handle))
    except FileNotFoundError:
        return {}
    except PermissionError:
        raise ConfigError(f"{path}: cannot be read (permission denied)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def load_settings(
    flags: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    system_file: Path | None = None,
    user_file: Path | None = None,
) -> Settings:
    """Merge every layer, validating each value where it is read so errors name their source."""
    environ = os.environ if environ is None else environ
    system_file = system_file or paths.system_config_path()
    user_file = user_file or paths.user_config_path()
    layers: list[tuple[str, dict[str, Any]]] = [
        (f"system file {system_file}", read_config_file(system_file)),
        (f"user file {user_file}", read_config_file(user_file)),
        (
            "environment",
            {o.key: environ[o.env] for o in OPTIONS if o.env and environ.get(o.env, "").strip()},
        ),
        ("command line", {k: v for k, v in (flags or {}).items() if v is not None}),
    ]
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    warnings: list[str] = []
    for source, layer in layers:
        for key, raw in layer.items():
            option = OPTIONS_BY_KEY.get(key)
            if option is None:
                warnings.append(f"{source}: unknown setting {key!r} ignored")
                continue
            try:
                values[key] = option.parse(raw)
            except ValueError as exc:
                where = f"{source}, {option.env}" if source == "environment" else source
                raise ConfigError(f"{where}: {key} {exc}") from None
            if (
                key == "database.url"
                and source.startswith(("system file", "user file"))
                and make_url(values[key]).password
            ):
                raise ConfigError(
                    f"{source}: database.url contains a password; passwords belong in the OS "
                    "keyring (`callcenter db password`), never in a configuration file"
                )
            sources[key] = source
    for option in OPTIONS:
        if option.key not in values:
            values[option.key] = option.default()
            sources[option.key] = "default"
    return Settings(
        **{_ATTRIBUTE[key]: value for key, value in values.items()},
        sources=sources,
        warnings=tuple(warnings),
    )


def mask(key: str, value: Any) -> str:
    """A value safe to print: URLs lose any password."""
    if key == "database.url":
        return make_url(value).render_as_string(hide_password=True)
    if key == "database.profiles":
        return ", ".join(f"{name}={mask('database.url', url)}" for name, url in value.items())
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)

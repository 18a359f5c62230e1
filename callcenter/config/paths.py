"""Where the configuration, data and logs live on each platform."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "callcenter"


def system_config_path() -> Path:
    """The file IT deploys for every user of the machine."""
    override = os.environ.get("CALLCENTER_SYSTEM_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA", r"C:\ProgramData")
        return Path(base) / "CallCenter" / "config.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/CallCenter/config.toml")
    return Path("/etc/callcenter/config.toml")


def user_config_path() -> Path:
    override = os.environ.get("CALLCENTER_USER_CONFIG")
    if override:
        return Path(override)
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def user_data_dir() -> Path:
    override = os.environ.get("CALLCENTER_DATA_DIR")
    if override:
        return Path(override)
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def user_log_dir() -> Path:
    override = os.environ.get("CALLCENTER_LOG_DIR")
    if override:
        return Path(override)
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    return user_data_dir() / "callcenter.db"

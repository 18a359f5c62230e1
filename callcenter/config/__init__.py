"""Settings from layered TOML files, the environment and flags; secrets from the OS keyring."""

from callcenter.config.settings import ConfigError, Settings, load_settings

__all__ = ["ConfigError", "Settings", "load_settings"]

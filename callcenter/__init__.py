"""Call-center desktop client: the Qt-free core (domain, repositories, services, CLI)."""

__version__ = "0.1.0"

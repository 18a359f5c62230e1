"""`host:port` addresses of softphones and PBXs, with each adapter's usual port."""

from __future__ import annotations

ADAPTERS = ("none", "baresip", "ami")
DEFAULT_ADDRESSES = {"baresip": "127.0.0.1:4444", "ami": "127.0.0.1:5038"}


def parse_address(text: str, default_port: int | None = None) -> tuple[str, int]:
    """`host`, `host:port`, `[v6]` or `[v6]:port` to (host, port); ValueError says what is wrong."""
    value = text.strip()
    if not value:
        raise ValueError("is empty; give HOST:PORT, e.g. 127.0.0.1:4444")
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise ValueError(f"{text!r} is not [IPv6]:PORT")
        port_text = rest[1:]
    elif value.count(":") == 1:
        host, _, port_text = value.partition(":")
    elif ":" in value:
        raise ValueError(f"{text!r}: write an IPv6 address in brackets, e.g. [::1]:5038")
    else:
        host, port_text = value, ""
    if not host or any(c.isspace() for c in host):
        raise ValueError(f"{text!r} has no host name")
    if not port_text:
        if default_port is None:
            raise ValueError(f"{text!r} needs a port, e.g. {host}:5038")
        return host, default_port
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"{text!r}: the port must be a number from 1 to 65535")
    return host, int(port_text)


def address_for(adapter: str, configured: str) -> tuple[str, int]:
    """The address to reach `adapter` at: the configured one, or its usual one on this machine."""
    default_text = DEFAULT_ADDRESSES.get(adapter, "")
    default_port = int(default_text.rsplit(":", 1)[1]) if default_text else None
    return parse_address(configured or default_text, default_port)

"""Domain types: plain dataclasses and enums handed between services, CLI and GUI."""

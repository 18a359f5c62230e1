"""Use cases: what the CLI and GUI ask for. They take a Database and return plain dataclasses."""

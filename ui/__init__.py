"""The PySide6 desktop front end; it reaches data only through callcenter services."""

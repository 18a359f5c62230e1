"""PyInstaller hook: every module of the desktop `ui` package (some are imported lazily)."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("ui", filter=lambda name: not name.endswith("__main__"))

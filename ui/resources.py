"""Where the top-level `resources/` folder (icons, styles) is, in a checkout, a wheel or a bundle.

`resources/` sits beside the `ui` and `callcenter` packages, not inside either, so it cannot be
package data. It is found in this order:

1. Frozen by PyInstaller: `sys._MEIPASS/resources` (the spec adds `("resources", "resources")`
   to `datas`).
2. A source checkout or the editable install (`pip install -e .`): `<checkout>/resources`.
3. An installed wheel: `<prefix>/share/callcenter/resources`, where pyproject.toml's
   `[tool.setuptools.data-files]` puts it (the venv or system prefix, or the user scheme's).
"""

from __future__ import annotations

import sys
import sysconfig
from functools import cache
from pathlib import Path

# A file only our resources folder has, so an unrelated `resources/` is never taken for ours.
_MARKER = Path("icons", "app", "callcenter.svg")
_INSTALLED = Path("share", "callcenter", "resources")


def _candidates() -> list[Path]:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen is not None:
        return [Path(frozen) / "resources"]
    candidates = [Path(__file__).resolve().parent.parent / "resources"]
    schemes = [sysconfig.get_default_scheme(), sysconfig.get_preferred_scheme("user")]
    for scheme in dict.fromkeys(schemes):
        candidates.append(Path(sysconfig.get_path("data", scheme)) / _INSTALLED)
    return candidates


@cache
def resources_dir() -> Path:
    """The resources folder; FileNotFoundError naming every place looked in if there is none."""
    candidates = _candidates()
    for candidate in candidates:
        if (candidate / _MARKER).is_file():
            return candidate
    searched = ", ".join(str(candidate) for candidate in candidates)
    raise FileNotFoundError(f"the callcenter resources folder was not found (looked in {searched})")

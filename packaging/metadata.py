"""Package metadata from one source: packaging/metadata.toml plus `callcenter.__version__`.

Renders what each package format needs, so the formats never disagree:

    python packaging/metadata.py version            print the version
    python packaging/metadata.py linux OUTDIR       OUTDIR/share/{applications,metainfo}/...
    python packaging/metadata.py inno OUTFILE       #defines for packaging/windows/callcenter.iss

The PyInstaller spec imports `load()` and `info_plist()` for the macOS bundle. Stdlib only.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent


@dataclass(frozen=True)
class Metadata:
    app_id: str
    executable: str
    name: str
    summary: str
    description: str
    publisher: str
    homepage: str
    license: str
    url_schemes: tuple[str, ...]
    categories: tuple[str, ...]
    keywords: tuple[str, ...]
    icon_svg: Path
    icon_sizes: tuple[int, ...]
    windows_app_guid: str
    version: str


def read_version(root: Path = ROOT) -> str:
    """`__version__` from callcenter/__init__.py, read as text (the build need not import it)."""
    text = (root / "callcenter" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if found is None:
        raise SystemExit("callcenter/__init__.py has no __version__")
    return found.group(1)


def load(root: Path = ROOT) -> Metadata:
    with open(root / "packaging" / "metadata.toml", "rb") as file:
        data: dict[str, Any] = tomllib.load(file)
    tuples = ("url_schemes", "categories", "keywords", "icon_sizes")
    fields: dict[str, Any] = {
        key: tuple(value) if key in tuples else value for key, value in data.items()
    }
    fields["icon_svg"] = root / data["icon_svg"]
    return Metadata(**fields, version=read_version(root))


def release_date() -> str:
    """Today, or SOURCE_DATE_EPOCH's day for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
    return datetime.date.today().isoformat()


def desktop_entries(meta: Metadata) -> dict[str, str]:
    """The launcher, and a hidden entry that takes tel: and callto: links to `callcenter pop`."""
    mime = "".join(f"x-scheme-handler/{scheme};" for scheme in meta.url_schemes)
    common = (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Icon={meta.app_id}\n"
        f"Categories={';'.join(meta.categories)};\n"
        f"Keywords={';'.join(meta.keywords)};\n"
    )
    launcher = (
        f"{common}Name={meta.name}\nComment={meta.summary}\n"
        f"Exec={meta.executable} gui\n"
        "Terminal=false\n"
        f"StartupWMClass={meta.executable}\n"
    )
    handler = (
        f"{common}Name={meta.name} (phone links)\n"
        f"Comment=Look up the number of a tel: or callto: link and pop the customer\n"
        f"Exec={meta.executable} pop %u\n"
        "Terminal=false\n"
        "NoDisplay=true\n"
        f"MimeType={mime}\n"
    )
    return {f"{meta.app_id}.desktop": launcher, f"{meta.app_id}.pop.desktop": handler}


def metainfo(meta: Metadata) -> str:
    keywords = "".join(f"    <keyword>{escape(k)}</keyword>\n" for k in meta.keywords)
    categories = "".join(f"    <category>{escape(c)}</category>\n" for c in meta.categories)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<component type="desktop-application">\n'
        f"  <id>{meta.app_id}</id>\n"
        "  <metadata_license>CC0-1.0</metadata_license>\n"
        f"  <project_license>{escape(meta.license)}</project_license>\n"
        f"  <name>{escape(meta.name)}</name>\n"
        f"  <summary>{escape(meta.summary)}</summary>\n"
        f"  <description>\n    <p>{escape(meta.description)}</p>\n  </description>\n"
        f'  <developer id="{meta.app_id.rsplit(".", 1)[0]}">\n'
        f"    <name>{escape(meta.publisher)}</name>\n  </developer>\n"
        f'  <launchable type="desktop-id">{meta.app_id}.desktop</launchable>\n'
        f'  <url type="homepage">{escape(meta.homepage)}</url>\n'
        f"  <provides>\n    <binary>{meta.executable}</binary>\n  </provides>\n"
        f"  <categories>\n{categories}  </categories>\n"
        f"  <keywords>\n{keywords}  </keywords>\n"
        f'  <content_rating type="oars-1.1"/>\n'
        f"  <releases>\n"
        f'    <release version="{meta.version}" date="{release_date()}"/>\n'
        f"  </releases>\n"
        "</component>\n"
    )


def inno_defines(meta: Metadata) -> str:
    """`#define`s the Inno Setup script includes (strings quoted the Inno Setup way)."""

    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    values = {
        "AppId": meta.windows_app_guid,
        "AppName": meta.name,
        "AppVersion": meta.version,
        "AppPublisher": meta.publisher,
        "AppURL": meta.homepage,
        "AppExeName": f"{meta.executable}.exe",
        "AppGuiExeName": f"{meta.executable}-gui.exe",
        "AppUrlSchemes": " ".join(meta.url_schemes),
    }
    lines = [f"#define {key} {quoted(value)}" for key, value in values.items()]
    return "; Generated by packaging/metadata.py from metadata.toml: do not edit.\n" + (
        "\n".join(lines) + "\n"
    )


def info_plist(meta: Metadata) -> dict[str, Any]:
    """The macOS bundle's Info.plist settings (PyInstaller's BUNDLE(info_plist=...))."""
    return {
        "CFBundleName": meta.name,
        "CFBundleDisplayName": meta.name,
        "CFBundleIdentifier": meta.app_id,
        "CFBundleShortVersionString": meta.version,
        "CFBundleVersion": meta.version,
        "LSApplicationCategoryType": "public.app-category.business",
        "NSHighResolutionCapable": True,
        "CFBundleURLTypes": [
            {
                "CFBundleURLName": f"{meta.app_id}.{scheme}",
                "CFBundleURLSchemes": [scheme],
                "CFBundleTypeRole": "Viewer",
            }
            for scheme in meta.url_schemes
        ],
    }


def write_linux(meta: Metadata, out: Path) -> list[Path]:
    written: list[Path] = []
    applications = out / "share" / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    for name, text in desktop_entries(meta).items():
        (applications / name).write_text(text, encoding="utf-8")
        written.append(applications / name)
    metainfo_dir = out / "share" / "metainfo"
    metainfo_dir.mkdir(parents=True, exist_ok=True)
    path = metainfo_dir / f"{meta.app_id}.metainfo.xml"
    path.write_text(metainfo(meta), encoding="utf-8")
    written.append(path)
    return written


def main(argv: list[str]) -> int:
    meta = load()
    if argv[:1] == ["version"]:
        print(meta.version)
    elif argv[:1] == ["linux"] and len(argv) == 2:
        for path in write_linux(meta, Path(argv[1])):
            print(path)
    elif argv[:1] == ["inno"] and len(argv) == 2:
        Path(argv[1]).write_text(inno_defines(meta), encoding="utf-8")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

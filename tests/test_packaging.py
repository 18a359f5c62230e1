"""Packaging: one source of metadata for every format, and the Linux bundle really works.

The slow test builds the bundle once with packaging/build-linux.sh (about 90 s) and runs it as
IT would: an empty environment, the offscreen platform.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from callcenter import __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def load_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def metadata() -> ModuleType:
    return load_module("metadata")


def test_version_is_the_package_version(metadata):
    assert metadata.load().version == __version__


def test_desktop_entries_launch_the_app_and_take_phone_links(metadata):
    meta = metadata.load()
    entries = metadata.desktop_entries(meta)
    launcher = entries[f"{meta.app_id}.desktop"]
    handler = entries[f"{meta.app_id}.pop.desktop"]
    assert "Exec=callcenter gui\n" in launcher
    assert "Exec=callcenter pop %u\n" in handler
    assert "MimeType=x-scheme-handler/tel;x-scheme-handler/callto;\n" in handler
    assert "NoDisplay=true" in handler
    for text in entries.values():
        assert f"Icon={meta.app_id}\n" in text


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli not installed")
def test_metainfo_is_valid_appstream(metadata, tmp_path):
    meta = metadata.load()
    (path,) = [p for p in metadata.write_linux(meta, tmp_path) if p.suffix == ".xml"]
    text = path.read_text()
    assert f'<release version="{__version__}"' in text
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_macos_info_plist_registers_the_url_schemes(metadata):
    plist = metadata.info_plist(metadata.load())
    assert plist["CFBundleShortVersionString"] == __version__
    schemes = [s for t in plist["CFBundleURLTypes"] for s in t["CFBundleURLSchemes"]]
    assert schemes == ["tel", "callto"]


def test_inno_setup_script_uses_only_generated_defines(metadata):
    defines = metadata.inno_defines(metadata.load())
    defined = set(re.findall(r"^#define (\w+) ", defines, re.MULTILINE))
    assert f'#define AppVersion "{__version__}"' in defines
    script = (PACKAGING / "windows" / "callcenter.iss").read_text()
    used = set(re.findall(r"\{#(\w+)\}", script))
    assert used and used <= defined
    assert '#include "..\\..\\build\\metadata.iss"' in script
    # The windowed executable the installer starts is the one the spec builds.
    spec = (PACKAGING / "callcenter.spec").read_text()
    assert 'name=f"{meta.executable}-gui"' in spec
    assert "/CONFIG" in script and "{commonappdata}\\CallCenter" in script


def test_icons_render_at_every_size(qapp, tmp_path):  # a QApplication, not a QGuiApplication
    render_icons = load_module("render_icons")
    written = render_icons.render(tmp_path)
    meta = render_icons.metadata.load()
    from PySide6.QtGui import QImage

    for size in meta.icon_sizes:
        image = QImage(str(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / f"{meta.app_id}.png"))
        assert (image.width(), image.height()) == (size, size)
    assert tmp_path / "callcenter.ico" in written


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ("gui", [])),
        (["--self-test"], ("gui", ["--self-test"])),
        (["-m", "ui", "--db", "sqlite://"], ("gui", ["--db", "sqlite://"])),
        (["db", "upgrade"], ("cli", ["db", "upgrade"])),
        (["pop", "tel:+12125550142"], ("cli", ["pop", "tel:+12125550142"])),
        (["--version"], ("cli", ["--version"])),
    ],
)
def test_the_bundle_executable_picks_gui_or_command(monkeypatch, argv, expected):
    entry = load_module("entry")
    calls = []
    monkeypatch.setattr("ui.app.main", lambda args: calls.append(("gui", args)))
    monkeypatch.setattr("callcenter.cli.main.main", lambda: calls.append(("cli", sys.argv[1:])))
    monkeypatch.setattr(sys, "argv", ["callcenter", *argv])
    entry.main()
    assert calls == [expected]


# -- the real bundle ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            "bash",
            str(PACKAGING / "build-linux.sh"),
            "--venv",
            sys.prefix,
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "work"),
            "--no-self-test",  # the tests below run it
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    yield out / "dist"
    shutil.rmtree(out, ignore_errors=True)  # about 400 MB


def run_bundled(bundle: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {"LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run(
        [str(bundle / "callcenter" / "callcenter"), *args],
        env=clean,  # nothing else: as `env -i` would
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_bundle_self_test_passes_in_an_empty_environment(bundle, tmp_path):
    logs = tmp_path / "logs"
    result = run_bundled(bundle, "--self-test", CALLCENTER_LOG_DIR=str(logs))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: passed" in result.stdout
    assert (logs / "gui.log").is_file()


@pytest.mark.slow
def test_bundle_reports_its_version_and_migrates_a_database(bundle, tmp_path):
    version = run_bundled(bundle, "--version")
    assert version.returncode == 0 and __version__ in version.stdout
    url = f"sqlite:///{tmp_path / 'site.db'}"
    env = {"CALLCENTER_LOG_DIR": str(tmp_path / "logs"), "CALLCENTER_DATA_DIR": str(tmp_path)}
    upgrade = run_bundled(bundle, "--db", url, "db", "upgrade", **env)
    assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr
    add = run_bundled(
        bundle, "--db", url, "users", "add", "--help", **env
    )  # the lazily loaded commands are in the bundle
    assert add.returncode == 0, add.stdout + add.stderr


@pytest.mark.slow
def test_bundle_starts_worker_processes(bundle):
    """Imports and demo data spawn worker processes: the frozen executable must serve them."""
    result = run_bundled(bundle, "--check-worker-process")
    assert result.returncode == 0, result.stdout + result.stderr
    child, parent = re.fullmatch(
        r"worker process (\d+) \(this one (\d+)\)\n", result.stdout
    ).groups()
    assert child != parent


@pytest.mark.slow
def test_bundle_tarball_holds_the_folder_desktop_entries_and_icons(bundle):
    tarball = bundle / f"callcenter-{__version__}-linux-{os.uname().machine}.tar.gz"
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
    meta = load_module("metadata").load()
    for name in [
        "callcenter/callcenter",
        "callcenter/install.sh",
        "callcenter/uninstall.sh",
        f"callcenter/share/applications/{meta.app_id}.pop.desktop",
        f"callcenter/share/metainfo/{meta.app_id}.metainfo.xml",
        f"callcenter/share/icons/hicolor/256x256/apps/{meta.app_id}.png",
        "callcenter/_internal/resources/icons/app/callcenter.svg",
        "callcenter/_internal/callcenter/db/migrations/env.py",
    ]:
        assert name in names


@pytest.mark.slow
def test_install_script_registers_and_uninstalls(bundle, tmp_path):
    prefix = tmp_path / "usr-local"
    env = {**os.environ, "PREFIX": str(prefix)}
    folder = bundle / "callcenter"
    subprocess.run([str(folder / "install.sh")], env=env, check=True, capture_output=True)
    assert (prefix / "bin" / "callcenter").resolve() == (folder / "callcenter").resolve()
    meta = load_module("metadata").load()
    handler = (prefix / "share" / "applications" / f"{meta.app_id}.pop.desktop").read_text()
    assert f"Exec={folder}/callcenter pop %u" in handler
    subprocess.run([str(folder / "uninstall.sh")], env=env, check=True, capture_output=True)
    assert not (prefix / "bin" / "callcenter").exists()
    assert not list((prefix / "share").rglob("*.desktop"))
    assert not list((prefix / "share").rglob("*.png"))

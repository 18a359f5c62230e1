"""One desktop per user: a second start hands over and exits; `callcenter pop` reaches it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from callcenter.cli.main import cli
from callcenter.telephony import pop_link
from tests.ui.conftest import ADA_NUMBER
from ui.single_instance import PopRouter, SingleInstance, hand_over

TIMEOUT = 10_000
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def socket_path(monkeypatch):
    # Unix socket paths must stay under ~100 bytes: pytest's tmp_path can be longer.
    folder = tempfile.mkdtemp(prefix="cc-pop-", dir="/tmp")
    path = os.path.join(folder, "desktop.sock")
    monkeypatch.setenv(pop_link.SOCKET_ENV, path)
    yield path
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def desktop(qtbot, socket_path):
    link = SingleInstance(socket_path)
    assert link.listen()
    yield link
    link.close()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("tel:+1-212-555-0142", "+1-212-555-0142"),
        ("TEL:%2B12125550142", "+12125550142"),
        ("callto://+12125550142", "+12125550142"),
        ("callto:+12125550142/", "+12125550142"),
        ("tel:2125550142;phone-context=example.com", "2125550142"),
        (" (212) 555-0142 ", "(212) 555-0142"),
        ("tel:", ""),
    ],
)
def test_clean_number(text, number):
    assert pop_link.clean_number(text) == number


def test_default_socket_is_per_user_in_the_runtime_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(pop_link.SOCKET_ENV, raising=False)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert pop_link.socket_path() == str(runtime / "callcenter" / "desktop.sock")


def _second_desktop(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "ui", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_a_second_desktop_hands_the_number_over_and_exits(qtbot, desktop):
    with qtbot.waitSignal(desktop.pop_requested, timeout=TIMEOUT) as popped:
        second = _second_desktop("--pop", "tel:+1-212-555-0142")
    assert popped.args == ["+1-212-555-0142"]
    output, _ = second.communicate(timeout=20)
    assert second.returncode == 0, output.decode()


def test_a_second_plain_start_brings_the_first_forward(qtbot, desktop):
    with qtbot.waitSignal(desktop.show_requested, timeout=TIMEOUT):
        second = _second_desktop()
    output, _ = second.communicate(timeout=20)
    assert second.returncode == 0, output.decode()


def test_pop_command_reaches_the_running_desktop(qtbot, desktop, tmp_path):
    results = []

    def run() -> None:
        db = f"sqlite:///{tmp_path / 'unused.db'}"
        results.append(CliRunner().invoke(cli, ["--db", db, "pop", "callto:+12125550142"]))

    with qtbot.waitSignal(desktop.pop_requested, timeout=TIMEOUT) as popped:
        worker = threading.Thread(target=run)
        worker.start()
    assert popped.args == ["+12125550142"]
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=TIMEOUT)
    assert results[0].exit_code == 0, results[0].output
    assert "popped on the running desktop" in results[0].output


def test_pop_command_starts_the_desktop_when_none_runs(monkeypatch, socket_path):
    started = []
    monkeypatch.setattr(
        "callcenter.cli.pop.subprocess.Popen", lambda command, **_kw: started.append(command)
    )
    result = CliRunner().invoke(cli, ["--json", "pop", "tel:+12125550142"])
    assert result.exit_code == 0, result.output
    assert started == [[sys.executable, "-m", "ui", "--pop", "+12125550142"]]
    assert '"desktop": "started"' in result.output
    assert CliRunner().invoke(cli, ["pop", "tel:"]).exit_code == 2


def test_a_stale_socket_is_replaced(qtbot, socket_path):
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(socket_path)  # a desktop that crashed leaves its socket file behind
    stale.close()
    assert not hand_over("123", socket_path)
    link = SingleInstance(socket_path)
    assert link.listen()
    with qtbot.waitSignal(link.pop_requested, timeout=TIMEOUT):
        worker = threading.Thread(target=pop_link.pop, args=("555", socket_path))
        worker.start()
    worker.join(5)
    link.close()


def test_router_pops_the_card_and_fills_the_dial_box(qtbot, pop_window):
    router = PopRouter(lambda: pop_window)
    router.pop("+1 212 555 0142")
    qtbot.waitUntil(lambda: pop_window.card.customer is not None, timeout=3000)
    assert pop_window.card.name.text() == "Ada Lovelace"
    assert pop_window.call_panel.dial_box.text() == "+1 212 555 0142"
    assert router.pending is None


def test_a_number_before_sign_in_pops_when_the_window_opens(qtbot, pop_window):
    window = {"now": None}
    router = PopRouter(lambda: window["now"])
    router.pop("(212) 555-0142")
    assert router.pending == "(212) 555-0142"
    window["now"] = pop_window
    qtbot.waitUntil(lambda: pop_window.card.customer is not None, timeout=3000)
    assert router.pending is None


def test_during_a_call_the_card_stays(qtbot, open_desk):
    window = open_desk()
    window.desk.training.ring(ADA_NUMBER, queue="Support")
    qtbot.waitUntil(lambda: window.card.name.text() == "Ada Lovelace", timeout=5000)
    PopRouter(lambda: window).pop("415-555-0101")
    assert window.call_panel.dial_box.text() == "415-555-0101"
    assert "stays on the current call" in window.statusBar().currentMessage()
    qtbot.wait(200)
    assert window.card.name.text() == "Ada Lovelace"


def test_a_simulated_caller_rings_the_trainees_desktop(qtbot, open_desk, socket_path):
    """`callcenter simulate --ring-desktop`: the caller's card pops and the call is on the desk;
    while it is, the next caller finds the desktop busy."""
    window = open_desk()
    link = SingleInstance(socket_path)
    router = PopRouter(lambda: window, link)
    link.ring_handler = router.ring
    assert link.listen()
    answers: list[str] = []

    def ring_twice() -> None:
        answers.append(pop_link.ring(ADA_NUMBER, "Support", socket_path))
        answers.append(pop_link.ring("+1 415 555 0101", "Support", socket_path))

    worker = threading.Thread(target=ring_twice)
    worker.start()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=TIMEOUT)
    assert answers == ["OK", "BUSY"], answers
    qtbot.waitUntil(lambda: window.card.name.text() == "Ada Lovelace", timeout=5000)
    call = window.desk.calls.call
    assert call is not None and call.remote_raw == ADA_NUMBER and call.queue == "Support"
    link.close()


def test_a_ring_before_sign_in_is_refused(qtbot, desktop):
    desktop.ring_handler = PopRouter(lambda: None, desktop).ring
    answers: list[str] = []
    worker = threading.Thread(target=lambda: answers.append(pop_link.ring("555", "Sales")))
    worker.start()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=TIMEOUT)
    assert answers == ["ERROR nobody is signed in"]

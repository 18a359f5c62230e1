"""`callcenter gui --self-test`, as IT runs it after an install: a real process, exit code 0."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_self_test_pops_a_caller_logs_the_call_and_exits_zero(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "callcenter", "gui", "--self-test"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "screen pop shows the customer" in done.stdout
    assert "call logged with answer and end times" in done.stdout
    assert done.stdout.strip().endswith("self-test: passed")

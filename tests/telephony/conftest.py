"""Fixtures for the telephony tests: real SIP processes, skipped only where allowed."""

from __future__ import annotations

import os

import pytest

from tests.telephony.softphone import Softphone, missing_binaries

REQUIRE_SIP = os.environ.get("CALLCENTER_TEST_REQUIRE_SIP") == "1"


@pytest.fixture
def sip_tools() -> None:
    """Skip (or fail, when CALLCENTER_TEST_REQUIRE_SIP=1) without baresip and sipp."""
    missing = missing_binaries()
    if not missing:
        return
    message = (
        f"baresip/sipp not installed (missing {', '.join(missing)}; Debian packages "
        "baresip-core and sip-tester); `bash .ci/dev test` installs them"
    )
    if REQUIRE_SIP:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def softphone(sip_tools, tmp_path):
    phone = Softphone(tmp_path / "baresip")
    phone.start()
    yield phone
    phone.kill()
    print(f"--- baresip log ---\n{phone.log()}")  # shown by pytest when the test failed

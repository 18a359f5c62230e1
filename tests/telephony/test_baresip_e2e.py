"""End to end with real processes: sipp calls the agent's baresip; the adapter follows it.

A known customer calls, the desk looks them up, answers through baresip, the caller hangs up
after a moment, and the call is saved with its answer and end times. Then the softphone is
killed and restarted, and the adapter finds it again by itself.
"""

from __future__ import annotations

import subprocess

import pytest

from callcenter.domain.calls import CallSource, Direction
from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.services.call_log import CallLogService
from callcenter.services.lookup import LookupService
from callcenter.telephony.baresip import BaresipTelephony
from callcenter.telephony.call_tracker import CallTracker
from callcenter.telephony.events import (
    CallAnswered,
    CallEnded,
    CallRinging,
    Connected,
    Disconnected,
)
from callcenter.telephony.runtime import Backoff
from tests.telephony.softphone import place_call
from tests.telephony.support import WAIT, Recorder

pytestmark = pytest.mark.sip


@pytest.fixture
def adapter(softphone):
    events = Recorder()
    # Started with the softphone: the first attempts may find the port closed; the backoff
    # (short here) is what brings the two together, as on an agent's machine at login.
    telephony = BaresipTelephony(
        "127.0.0.1",
        softphone.ctrl_port,
        events,
        backoff=Backoff(initial=0.05, cap=0.4),
    )
    telephony.events = events
    telephony.start()
    events.wait_type(Connected)
    yield telephony
    telephony.stop()


@pytest.fixture
def callers(tmp_path):
    processes: list[subprocess.Popen[bytes]] = []

    def call(softphone, caller, display, hold_ms=300):
        process = place_call(tmp_path, softphone, caller, display, hold_ms)
        processes.append(process)
        return process

    yield call
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(WAIT)
    log = tmp_path / "sipp.log"
    print(f"--- sipp log ---\n{log.read_text(errors='replace') if log.exists() else ''}")


def test_a_known_customer_calls_is_looked_up_answered_and_logged(
    softphone, adapter, callers, sqlite_database, actor
):
    with sqlite_database.uow(actor) as uow:
        ada = uow.customers.add(
            CustomerDraft("Ada Lovelace", (PhoneEntry("(212) 555-0142", "+12125550142"),))
        )
        uow.commit()
    events = adapter.events
    tracker = CallTracker(CallSource.SOFTPHONE, "US")

    caller = callers(softphone, "+12125550142", "Ada Lovelace")
    ringing = events.wait_type(CallRinging)
    assert (ringing.direction, ringing.caller, ringing.display_name) == (
        Direction.INBOUND,
        "+12125550142",
        "Ada Lovelace",
    )
    found = LookupService(sqlite_database, "US").lookup(ringing.remote_number, actor)
    assert [m.id for m in found.matches] == [ada]

    adapter.answer(ringing.call_id).result(WAIT)
    events.wait_type(CallAnswered)
    ended = events.wait_type(CallEnded)
    assert caller.wait(WAIT) == 0, "sipp's call did not complete"

    for event in events.events:
        tracker.handle(event)
    call = tracker.get(ringing.call_id)
    call.customer_id = found.matches[0].id
    record = tracker.finished_record(ringing.call_id)
    CallLogService(sqlite_database).save(actor, record)

    with sqlite_database.uow(actor) as uow:
        saved = uow.calls.get(record.call_uid)
    assert saved is not None
    assert (saved.customer_id, saved.caller_key, saved.source) == (
        ada,
        "+12125550142",
        CallSource.SOFTPHONE,
    )
    assert saved.answered_at is not None and saved.ended_at is not None
    assert saved.started_at <= saved.answered_at < saved.ended_at
    # sipp holds the call 300 ms after the answer, then hangs up.
    assert 0.2 <= (ended.at - events.wait_type(CallAnswered).at).total_seconds() < 5


def test_the_adapter_finds_a_restarted_softphone_by_itself(softphone, adapter, callers):
    events = adapter.events
    softphone.kill()
    gone = events.wait_type(Disconnected)
    assert gone.retry_in is not None

    before = len(events)
    softphone.start()
    events.wait_type(Connected, after=before)

    # Calls work again over the new connection: one rings, and the desk rejects it.
    callers(softphone, "+13105550199", "Second Caller")
    ringing = events.wait_type(CallRinging, after=before)
    assert ringing.caller == "+13105550199"
    adapter.hang_up(ringing.call_id).result(WAIT)
    assert events.wait_type(CallEnded, after=before).call_id == ringing.call_id

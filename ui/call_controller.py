"""How the desk reacts to calls: pop on ring, state on answer, wrap-up after hang-up, save.

Events from every phone line (a softphone, the PBX, the training line) arrive here on the GUI
thread. The controller keeps the one call on the desk, tells the window to pop the caller,
moves the agent's state with the call, runs wrap-up in the configured mode (optional,
mandatory, or timed with a timeout disposition) and hands the finished record to the outbox,
which saves it off the GUI thread and retries while the database is away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from callcenter.clock import utc_now
from callcenter.domain.calls import AgentState, Direction
from callcenter.domain.errors import ValidationError
from callcenter.domain.phone import normalize
from callcenter.services.active_call import ActiveCall, CallPhase, WrapUpMode
from callcenter.telephony.call_tracker import CallTracker
from callcenter.telephony.events import CallAnswered, CallEvent, CallRinging, TelephonyEvent
from callcenter.telephony.port import Telephony
from ui.agent_status import AgentStatus
from ui.context import AppContext
from ui.outbox import Outbox
from ui.telephony_bridge import PhoneLine

log = logging.getLogger(__name__)


class CallController(QObject):
    #: The call on the desk changed (ActiveCall), or there is none any more (None).
    call_changed = Signal(object)
    #: A call rang or connected: pop this number (the remote party's, as the phone gave it).
    pop_requested = Signal(str)
    #: Something the agent should read: a refused action, a failed command.
    message = Signal(str)
    #: A call's record was written to the database (its call_uid).
    saved = Signal(str)
    #: Seconds left of a timed wrap-up, each second; -1 when no countdown runs.
    wrap_up_countdown = Signal(int)

    def __init__(
        self,
        context: AppContext,
        status: AgentStatus,
        outbox: Outbox,
        parent: QObject | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._status = status
        self._outbox = outbox
        self._clock = clock
        self.mode = WrapUpMode(context.settings.wrap_up_mode)
        self.lines: list[PhoneLine] = []
        self._trackers: dict[str, CallTracker] = {}
        #: How a number is dialled with no phone line: the system's tel: handler.
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.call: ActiveCall | None = None
        self._line: PhoneLine | None = None
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_down)
        self._seconds_left = 0

    # -- lines -----------------------------------------------------------------------------

    def add_line(self, line: PhoneLine) -> None:
        settings = self._context.settings
        self._trackers[line.name] = CallTracker(
            line.source,
            settings.default_region,
            settings.outside_line_prefix,
            self._context.actor.user_id,
        )
        self.lines.append(line)
        line.received.connect(lambda event, line=line: self.handle(line, event))
        line.command_failed.connect(self.message)

    def handle(self, line: PhoneLine, event: TelephonyEvent) -> None:
        if not isinstance(event, CallEvent):
            return
        if isinstance(event, CallRinging):
            self._ringing(line, event)
            return
        call = self.call
        if call is None or call.source_call_id != event.call_id or self._line is not line:
            return  # another desk's call, or one already wrapped up
        phase = call.phase
        self._trackers[line.name].handle(event)
        if isinstance(event, CallAnswered) and phase is CallPhase.RINGING:
            self._status.phone(AgentState.ON_CALL)
            if call.direction is Direction.OUTBOUND:
                self.pop_requested.emit(call.remote_raw or "")
        elif call.phase is CallPhase.WRAP_UP and phase is not CallPhase.WRAP_UP:
            self._ended(call)
        self.call_changed.emit(call)

    def _ringing(self, line: PhoneLine, event: CallRinging) -> None:
        if self.call is not None and self.call.phase is not CallPhase.WRAP_UP:
            self.message.emit(self.tr("Another call is ringing while you are on a call."))
            return
        if self.call is not None:  # a new call ends the wrap-up of the last one as it stands
            self._finish(forced=True)
        call = self._trackers[line.name].handle(event)
        assert call is not None  # a call event always concerns a call
        self.call, self._line = call, line
        self.call_changed.emit(call)
        if event.direction is Direction.INBOUND:
            self.pop_requested.emit(event.remote_number or "")

    def _ended(self, call: ActiveCall) -> None:
        if call.answered_at is None and call.direction is Direction.INBOUND:
            self._finish(forced=True)  # rang and was not taken: nothing to wrap up
            return
        self._status.phone(AgentState.AFTER_CALL_WORK)
        if self.mode is WrapUpMode.TIMED:
            self._seconds_left = self._context.settings.wrap_up_seconds
            self.wrap_up_countdown.emit(self._seconds_left)
            self._countdown.start()

    # -- what the agent does ---------------------------------------------------------------

    def link_customer(self, customer_id: int, name: str) -> None:
        """The caller is this customer (the pop found them, or the agent picked or created)."""
        if self.call is not None:
            self.call.customer_id = customer_id
            self.call.customer_name = name
            self.call_changed.emit(self.call)

    def set_disposition(self, code: str | None) -> None:
        if self.call is not None:
            self.call.disposition_code = code or None

    def set_notes(self, notes: str) -> None:
        if self.call is not None:
            self.call.notes = notes

    def answer(self) -> None:
        self._command("answer", CallPhase.RINGING, lambda a, cid: a.answer(cid))

    def hang_up(self) -> None:
        call = self.call
        if call is None or call.phase is CallPhase.WRAP_UP:
            return
        self._command("hang up", call.phase, lambda a, cid: a.hang_up(cid))

    def toggle_hold(self) -> None:
        call = self.call
        if call is None or call.phase not in (CallPhase.TALKING, CallPhase.HELD):
            return
        if call.phase is CallPhase.HELD:
            self._command("resume", CallPhase.HELD, lambda a, cid: a.resume(cid))
        else:
            self._command("hold", CallPhase.TALKING, lambda a, cid: a.hold(cid))

    def dial(self, number: str) -> None:
        """Through a connected phone line when there is one, else the system's tel: handler."""
        settings = self._context.settings
        parsed = normalize(number, settings.default_region)
        if not parsed.key:  # an extension or odd number still dials, as its digits
            self.message.emit(self.tr("Cannot dial {0!r}: not a phone number.").format(number))
            return
        number = parsed.key  # E.164 (or digits): what phones, PBXs and tel: handlers understand
        if self.call is not None and self.call.phase is not CallPhase.WRAP_UP:
            self.message.emit(self.tr("Finish the current call before dialling."))
            return
        for line in self.lines:
            if line.connected and line.adapter is not None and line.source.value != "simulator":
                line.command(self.tr("Dial {0}").format(number), line.adapter.dial(number))
                return
        if not self.open_url(QUrl(f"tel:{number}")):
            self.message.emit(self.tr("No phone is connected and no tel: handler is set up."))

    def finish_wrap_up(self) -> bool:
        """Wrap-up done: save the call and become available (or what was chosen meanwhile)."""
        call = self.call
        if call is None:
            return False
        try:
            call.check_finish(self.mode)
        except ValidationError as exc:
            self.message.emit(exc.reason[0].upper() + exc.reason[1:] + ".")
            return False
        self._finish(forced=False)
        return True

    def reset(self) -> None:
        """Forget the call on the desk without saving it: training resets and the benchmark."""
        self._countdown.stop()
        if self.call is not None and self._line is not None:
            self._trackers[self._line.name].pop(self.call.source_call_id)
        self.call, self._line = None, None
        self.call_changed.emit(None)

    def finish_now(self) -> None:
        """End the call on the desk as it stands (the agent is leaving): saved, not lost."""
        if self.call is not None:
            self._finish(forced=True)

    # -- internals -------------------------------------------------------------------------

    def _command(
        self, what: str, phase: CallPhase, send: Callable[[Telephony, str], Future[None]]
    ) -> None:
        call, line = self.call, self._line
        if call is None or line is None or line.adapter is None or call.phase is not phase:
            return
        future = send(line.adapter, call.source_call_id)
        line.command(self.tr("Could not {0}").format(what), future)

    def _count_down(self) -> None:
        self._seconds_left -= 1
        if self._seconds_left > 0:
            self.wrap_up_countdown.emit(self._seconds_left)
            return
        call = self.call
        if call is not None and not call.disposition_code:
            call.disposition_code = self._context.settings.timeout_disposition
        self._finish(forced=True)

    def _finish(self, forced: bool) -> None:
        call = self.call
        if call is None:
            return
        self._countdown.stop()
        self.wrap_up_countdown.emit(-1)
        if call.ended_at is None:
            call.ended(self._clock(), "wrapped up")
        record = call.record(self._clock())
        service, actor = self._context.call_log, self._context.actor
        uid, queue = call.uid, call.queue
        self._outbox.submit(
            self.tr("the call with {0}").format(call.customer_name or call.remote_raw or "?"),
            lambda: service.save(actor, record, queue_name=queue),
            lambda _id: self.saved.emit(uid),
        )
        was_taken = call.answered_at is not None or call.direction is Direction.OUTBOUND
        if self._line is not None:
            self._trackers[self._line.name].pop(call.source_call_id)
        self.call, self._line = None, None
        self.call_changed.emit(None)
        if was_taken or not forced:
            self._status.call_finished()

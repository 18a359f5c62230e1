"""The telephony port (events, the `Telephony` interface) and its adapters: baresip and AMI.

Adapters live in their own modules and are built from settings by `factory.create_telephony`;
importing this package loads neither.
"""

from callcenter.telephony.events import (
    CallAnswered,
    CallEnded,
    CallEvent,
    CallHeld,
    CallResumed,
    CallRinging,
    CallTransferred,
    Connected,
    Connecting,
    ConnectionEvent,
    ConnectionState,
    Disconnected,
    QueueEvent,
    TelephonyEvent,
)
from callcenter.telephony.port import EventSink, Telephony, TelephonyAuthError, TelephonyError

__all__ = [
    "CallAnswered",
    "CallEnded",
    "CallEvent",
    "CallHeld",
    "CallResumed",
    "CallRinging",
    "CallTransferred",
    "Connected",
    "Connecting",
    "ConnectionEvent",
    "ConnectionState",
    "Disconnected",
    "EventSink",
    "QueueEvent",
    "Telephony",
    "TelephonyAuthError",
    "TelephonyError",
    "TelephonyEvent",
]

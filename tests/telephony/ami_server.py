"""A scripted Asterisk Manager Interface server on 127.0.0.1, playing Asterisk's side.

It greets, answers Login (accepting one user and secret, refusing others and closing the
connection as Asterisk does), Ping, Hangup, Originate and PJSIPNotify, records every action
it receives, and lets the test push events, whole or cut into small pieces.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping

BANNER = "Asterisk Call Manager/5.0.1\r\n"
WAIT = 10.0


def message(first_key: str, first_value: str, fields: Mapping[str, str] | None = None) -> str:
    pairs = (fields or {}).items()
    lines = [f"{first_key}: {first_value}", *(f"{k}: {v}" for k, v in pairs)]
    return "\r\n".join(lines) + "\r\n\r\n"


def event(name: str, fields: Mapping[str, str] | None = None) -> str:
    return message("Event", name, fields)


def response(action_id: str, status: str = "Success", **fields: str) -> str:
    return message("Response", status, {"ActionID": action_id, **fields})


def parse_actions(buffer: bytearray) -> list[dict[str, str]]:
    actions = []
    while (end := buffer.find(b"\r\n\r\n")) >= 0:
        block = bytes(buffer[:end]).decode()
        del buffer[: end + 4]
        action: dict[str, str] = {}
        for line in block.split("\r\n"):
            key, _, value = line.partition(": ")
            action.setdefault(key, value)
        actions.append(action)
    return actions


class ScriptedAmi:
    def __init__(
        self,
        username: str = "desk",
        secret: str = "s3cret",
        after_login: Iterable[str] = (),
    ) -> None:
        self.username = username
        self.secret = secret
        self.after_login = list(after_login)
        self.actions: list[dict[str, str]] = []
        self.logins = 0
        self.connections = 0
        self.responders: dict[str, Callable[[dict[str, str]], str]] = {}
        self._changed = threading.Condition()
        self._clients: list[socket.socket] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._server.getsockname()[1])
        self._closed = False
        threading.Thread(target=self._accept, name="scripted-ami", daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._changed:
                self._clients.append(client)
                self.connections += 1
                self._changed.notify_all()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        buffer = bytearray()
        with contextlib.suppress(OSError):
            client.sendall(BANNER.encode())
            while data := client.recv(65536):
                buffer += data
                for action in parse_actions(buffer):
                    with self._changed:
                        self.actions.append(action)
                        self._changed.notify_all()
                    if not self._answer(client, action):
                        return
        self._forget(client)

    def _answer(self, client: socket.socket, action: dict[str, str]) -> bool:
        """Reply to one action; False when the connection is to be closed."""
        name, action_id = action.get("Action", ""), action.get("ActionID", "")
        if name in self.responders:
            client.sendall(self.responders[name](action).encode())
        elif name == "Login":
            if (action.get("Username"), action.get("Secret")) != (self.username, self.secret):
                refused = response(action_id, "Error", Message="Authentication failed")
                client.sendall(refused.encode())
                client.shutdown(socket.SHUT_RDWR)
                client.close()
                self._forget(client)
                return False
            client.sendall(
                (
                    response(action_id, Message="Authentication accepted")
                    + event("FullyBooted", {"Privilege": "system,all", "Status": "Fully Booted"})
                ).encode()
            )
            with self._changed:
                self.logins += 1
                self._changed.notify_all()
            for text in self.after_login:
                client.sendall(text.encode())
        elif name == "Ping":
            client.sendall(response(action_id, Ping="Pong", Timestamp="1700000000.000000").encode())
        elif name == "Hangup":
            client.sendall(response(action_id, Message="Channel Hungup").encode())
        elif name == "Originate":
            client.sendall(response(action_id, Message="Originate successfully queued").encode())
        elif name == "PJSIPNotify":
            client.sendall(response(action_id, Message="NOTIFY sent").encode())
        else:
            client.sendall(response(action_id, "Error", Message="Invalid/unknown command").encode())
        return True

    def _forget(self, client: socket.socket) -> None:
        with self._changed:
            if client in self._clients:
                self._clients.remove(client)
            self._changed.notify_all()

    def push(self, *texts: str, piece: int | None = None) -> None:
        """Send to the newest client; in `piece`-byte writes a moment apart, to split reads."""
        data = "".join(texts).encode()
        with self._changed:
            client = self._clients[-1]
        if piece is None:
            client.sendall(data)
            return
        for start in range(0, len(data), piece):
            client.sendall(data[start : start + piece])
            time.sleep(0.001)  # lets the client read the piece alone; not a wait for a result

    def drop(self) -> None:
        """Cut every client off, as a PBX restart does."""
        with self._changed:
            clients, self._clients = self._clients, []
        for client in clients:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
            client.close()

    def wait(self, predicate: Callable[[ScriptedAmi], bool], timeout: float = WAIT) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: predicate(self), timeout), "condition not met"

    def wait_action(self, name: str, timeout: float = WAIT) -> dict[str, str]:
        self.wait(lambda s: any(a.get("Action") == name for a in s.actions), timeout)
        return next(a for a in self.actions if a.get("Action") == name)

    def close(self) -> None:
        self._server.close()
        self.drop()

"""Real SIP processes for end-to-end tests: the agent's baresip, and sipp placing a call.

Both from Debian packages (baresip-core, sip-tester), on 127.0.0.1 with free ports, null audio.
The configuration is the verified recipe (../shared/recipes/baresip-agent.config) with the
ports made free.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.telephony.support import free_port

MODULES = Path("/usr/lib/baresip/modules")
UDP = (socket.SOCK_DGRAM,)
BOTH = (socket.SOCK_DGRAM, socket.SOCK_STREAM)

CONFIG = """\
poll_method		epoll
sip_listen		127.0.0.1:{sip_port}
net_interface		127.0.0.1
dns_server		127.0.0.1:53
call_local_timeout	120
call_max_calls		4
audio_player		aubridge,play_{sip_port}
audio_source		aubridge,src_{sip_port}
audio_alert		aubridge,alert_{sip_port}
audio_path		/usr/share/baresip
module_path		{modules}
module			g711.so
module			aubridge.so
module_tmp		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:{ctrl_port}
"""

# sipp's built-in caller (`sipp -sd uac`) with a caller id and display name in From.
CALLER_SCENARIO = """\
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="caller with a caller id">
  <send retrans="500"><![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "[display]" <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: [service] <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: sip:[caller]@[local_ip]:[local_port]
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0
      a=rtpmap:0 PCMU/8000
    ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true"/>
  <send><![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "[display]" <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: [service] <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Contact: sip:[caller]@[local_ip]:[local_port]
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <pause/>
  <send retrans="500"><![CDATA[
      BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "[display]" <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: [service] <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Contact: sip:[caller]@[local_ip]:[local_port]
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <recv response="200" crlf="true"/>
</scenario>
"""


def missing_binaries() -> list[str]:
    missing = [name for name in ("baresip", "sipp") if shutil.which(name) is None]
    if not (MODULES / "ctrl_tcp.so").exists():
        missing.append(str(MODULES / "ctrl_tcp.so"))
    return missing


@dataclass
class Softphone:
    """The agent's baresip: answer mode manual, control port on `ctrl_port`."""

    folder: Path
    sip_port: int = field(default_factory=lambda: free_port(BOTH, span=2))
    ctrl_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "config").write_text(
            CONFIG.format(sip_port=self.sip_port, ctrl_port=self.ctrl_port, modules=MODULES)
        )
        (self.folder / "accounts").write_text("<sip:agent@127.0.0.1>;regint=0;answermode=manual\n")
        (self.folder / "contacts").write_text("")

    def start(self) -> None:
        log = (self.folder / "baresip.log").open("ab")
        self.process = subprocess.Popen(
            ["baresip", "-f", str(self.folder)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def log(self) -> str:
        path = self.folder / "baresip.log"
        return path.read_text(errors="replace") if path.exists() else ""


def place_call(
    folder: Path, softphone: Softphone, caller: str, display: str, hold_ms: int = 300
) -> subprocess.Popen[bytes]:
    """sipp calling the agent once from `caller`; exits 0 when the call completed."""
    scenario = folder / "caller.xml"
    scenario.write_text(CALLER_SCENARIO)
    log = (folder / "sipp.log").open("ab")
    process = subprocess.Popen(
        [
            "sipp",
            *("-sf", str(scenario), f"127.0.0.1:{softphone.sip_port}"),
            *("-s", "agent", "-i", "127.0.0.1"),
            *("-p", str(free_port(UDP)), "-mp", str(free_port(UDP, span=4))),
            *("-m", "1", "-d", str(hold_ms), "-timeout", "15s", "-nostdin"),
            *("-key", "caller", caller, "-key", "display", display),
        ],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return process

"""`civicflow remind`: one digest e-mail, sent to a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from civicflow.cli import main

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Inbox:
    """What the test SMTP server received: (envelope sender, recipients, message) per e-mail."""

    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[str, Inbox]]:
    """A real SMTP server on 127.0.0.1 and what it receives."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield f"127.0.0.1:{controller.port}", inbox
    finally:
        controller.stop()


@pytest.fixture
def late_log(tmp_path: Path) -> Path:
    path = tmp_path / "kir-a.yaml"
    path.write_text(
        "template: drohobych_kir\nstart: 2025-10-06\nevents:\n  - step: meeting_1\n    date: 09.10.2025\n",
        encoding="utf-8",
    )
    return path


def test_one_digest_with_overdue_legal_deadlines_first(
    smtp: tuple[str, Inbox], late_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One e-mail to every recipient: the subject counts, the body lists the overdue legal deadline with
    its rule, then what is due, planned days apart."""
    address, inbox = smtp
    argv = ["remind", str(late_log), "--as-of", "2025-10-20", "--days", "10", "--smtp", address]
    assert (
        main([*argv, "--to", "clerk@example.org", "--to", "head@example.org", "--from", "cf@example.org"])
        == 0
    )
    assert "sent" in capsys.readouterr().out
    [(sender, recipients, msg)] = inbox.received
    assert sender == "cf@example.org"
    assert recipients == ["clerk@example.org", "head@example.org"]
    assert msg["Subject"].startswith("civicflow: 1 overdue, ")
    text = msg.get_content()
    assert text.index("Overdue legal deadlines") < text.index("Planned days due (no legal rule)")
    assert "- 2025-10-14 Tue  kir-a: publication_1 — Publication of the results of the first meeting" in text
    assert "(4 working days overdue)" in text
    assert "rule: Drohobych KIR working-group plan" in text


def test_nothing_due_sends_nothing_unless_always(
    smtp: tuple[str, Inbox], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address, inbox = smtp
    log = tmp_path / "done.yaml"
    log.write_text("template: drohobych_kir\nstart: 2025-10-06\nevents: []\n", encoding="utf-8")
    argv = [
        "remind",
        str(log),
        "--as-of",
        "2025-10-06",
        "--days",
        "0",
        "--smtp",
        address,
        "--to",
        "a@example.org",
    ]
    assert main(argv) == 0
    assert "no e-mail sent" in capsys.readouterr().out
    assert inbox.received == []
    assert main([*argv, "--always"]) == 0
    [(_, _, msg)] = inbox.received
    assert "Nothing is overdue or due." in msg.get_content()


def test_a_server_that_is_not_there_is_exit_2(late_log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = _free_port()  # nothing listens on it
    argv = [
        "remind",
        str(late_log),
        "--as-of",
        "2025-10-20",
        "--smtp",
        f"127.0.0.1:{port}",
        "--to",
        "a@example.org",
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"cannot send the e-mail through 127.0.0.1:{port}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--to", "clerk@example.org\r\nBcc: x@evil.example", "is not an e-mail address"),
        ("--to", "nobody", "is not an e-mail address"),
        ("--smtp", "host:99999", "is not HOST or HOST:PORT"),
    ],
)
def test_bad_addresses_are_refused(
    late_log: Path, option: str, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["remind", str(late_log), "--smtp", "127.0.0.1:25", "--to", "a@example.org", option, value]
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_remind_as_a_process(smtp: tuple[str, Inbox], late_log: Path) -> None:
    """The installed command, as cron runs it, delivers to the loopback server."""
    address, inbox = smtp
    argv = ["remind", str(late_log), "--as-of", "2025-10-20", "--smtp", address, "--to", "clerk@example.org"]
    done = subprocess.run(
        [sys.executable, "-m", "civicflow", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(inbox.received) == 1

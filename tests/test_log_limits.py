"""Event logs are read with bounded effort: regular files only, a size cap, no node graph, a screenful of
problems in messages and every problem in JSON."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from civicflow import EventLogError, TemplateError, load_template
from civicflow.cli import main
from civicflow.errors import SHOWN_PROBLEMS, Problem
from civicflow.loader import LogLimits, read_event_log, read_event_text

TEMPLATE = load_template("drohobych_kir")


def finishes(call: Callable[[], object], seconds: float = 20.0) -> BaseException | None:
    """Run ``call`` in a thread; the exception it raised (None when it returned). Fails on a hang."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, "reading did not finish: it blocked or ran away"
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_fifo_log_or_template_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "log.csv"
    os.mkfifo(fifo)
    error = finishes(lambda: read_event_log(fifo, template=TEMPLATE))
    assert isinstance(error, EventLogError)
    assert "FIFO" in str(error)
    link = tmp_path / "t.yaml"
    link.symlink_to(fifo)
    error = finishes(lambda: load_template(link))
    assert isinstance(error, TemplateError)
    assert "FIFO" in str(error)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("suffix", [".yaml", ".json", ".csv"])
def test_a_symlink_to_dev_zero_is_refused_before_reading(tmp_path: Path, suffix: str) -> None:
    link = tmp_path / f"log{suffix}"
    link.symlink_to("/dev/zero")
    error = finishes(lambda: read_event_log(link))
    assert isinstance(error, EventLogError)
    assert "it is a device, not a regular file" in str(error)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "log.yaml"
    folder.mkdir()
    with pytest.raises(EventLogError, match="folder"):
        read_event_log(folder)


def test_the_size_cap_is_configurable_and_names_the_limit(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("step,date\n" + "meeting_1,2025-10-08\n" * 100, encoding="utf-8")
    assert len(read_event_log(log)) == 100
    with pytest.raises(EventLogError, match=r"larger than 1,000 bytes, the limit for an event log"):
        read_event_log(log, limits=LogLimits(max_bytes=1000))
    assert LogLimits().max_bytes == 16 * 1024 * 1024


def _yaml_log(n: int) -> str:
    return "".join(f"- step: meeting_1\n  date: 2025-10-08\n  note: record {i}\n" for i in range(n))


def test_a_large_yaml_log_without_aliases_is_never_an_alias_bomb() -> None:
    # 30,000 records are 210,000 values: more than the node limit of templates, but no alias at all.
    text = _yaml_log(30_000)
    with pytest.raises(EventLogError) as caught:
        read_event_text(text, format="yaml", source="big.yaml", template=TEMPLATE)
    # every record is an impossible second completion of meeting_1, reported with its line
    assert "alias" not in str(caught.value)
    assert len(caught.value.problems) == 29_999
    assert caught.value.problems[0].line == 4


def test_a_100k_record_csv_log_is_read_whole() -> None:
    text = "step,date,event\n" + "meeting_1,2025-10-08,open\n" + "meeting_1,2025-10-09,complete\n" * 99_999
    with pytest.raises(EventLogError) as caught:
        read_event_text(text, format="csv", source="big.csv", template=TEMPLATE)
    assert len(caught.value.problems) == 99_998  # the first completion is fine, every later one is not


def test_aliases_are_refused_in_logs() -> None:
    text = "- &r {step: meeting_1, date: 2025-10-08}\n- *r\n"
    with pytest.raises(EventLogError, match=r"aliases \(\*name\) are not allowed in an event log"):
        read_event_text(text, format="yaml", source="a.yaml")


def test_nesting_is_limited_without_recursion() -> None:
    text = "[" * 100_000 + "]" * 100_000
    for fmt in ("yaml", "json"):
        with pytest.raises(EventLogError, match="nest"):
            read_event_text(text, format=fmt, source=f"deep.{fmt}")


def test_a_message_lists_a_screenful_and_counts_the_rest() -> None:
    problems = [Problem(f"bad record {i}", source="x.csv", line=i) for i in range(1, 200_001)]
    text = str(EventLogError(problems, "x.csv"))
    lines = text.splitlines()
    assert lines[0] == "x.csv: 200,000 problems in event log:"
    assert len(lines) == SHOWN_PROBLEMS + 2
    assert lines[-1] == f"  ... and {200_000 - SHOWN_PROBLEMS:,} more problems"
    # one more than the screenful is simply shown: "... and 1 more" would take the same line
    assert "more problems" not in str(EventLogError(problems[: SHOWN_PROBLEMS + 1], "x.csv"))


def test_the_cli_prints_a_screenful_and_json_has_them_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.csv"
    log.write_text("step,date\n" + "nosuchstep,2025-10-08\n" * 500, encoding="utf-8")
    assert main(["check", "drohobych_kir", str(log)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "... and 480 more problems" in err
    assert len(err.splitlines()) == SHOWN_PROBLEMS + 2
    assert main(["check", "drohobych_kir", str(log), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    payload = json.loads(out)
    assert payload["count"] == 500
    assert len(payload["problems"]) == 500
    assert payload["problems"][0]["line"] == 2
    assert "unknown step 'nosuchstep'" in payload["problems"][0]["message"]


def test_the_pure_python_parser_reads_logs_like_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml (a PyYAML built without it) the same data, positions and problems come out."""
    from civicflow.loader import _stream
    from civicflow.loader._yaml import YamlProblems

    good = (
        "name: x\nevents:\n  - {step: meeting_1, date: 2025-10-08, note: 'a: b'}\n"
        "  - step: meeting_2\n    date: 2025-10-09\n"
    )
    bad = "- step: meeting_1\n  date: 2025-10-08\n  date: 2025-10-09\n- &a {step: x}\n"
    fast = _stream.parse_log_yaml(good, "g.yaml")
    with pytest.raises(YamlProblems) as fast_bad:
        _stream.parse_log_yaml(bad, "b.yaml")
    monkeypatch.setattr(_stream, "_FastParser", None)
    slow = _stream.parse_log_yaml(good, "g.yaml")
    assert (slow.data, slow.values, slow.keys) == (fast.data, fast.values, fast.keys)
    assert slow.values[("events", 1, "date")] == (5, 11)
    with pytest.raises(YamlProblems) as slow_bad:
        _stream.parse_log_yaml(bad, "b.yaml")
    assert str(slow_bad.value) == str(fast_bad.value)
    assert "duplicate key 'date'" in str(slow_bad.value)


@pytest.mark.parametrize("fast", [True, False])
def test_a_control_character_and_a_merge_key_are_located_problems(
    monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    from civicflow.loader import _stream

    if not fast:
        monkeypatch.setattr(_stream, "_FastParser", None)
    with pytest.raises(
        EventLogError, match=r"t\.yaml:2:10: YAML cannot read this text: the character U\+0000"
    ):
        read_event_text("- step: a\n  note: x\x00\n  date: 2025-10-08\n", format="yaml", source="t.yaml")
    with pytest.raises(EventLogError, match=r"t\.yaml:1:3: .*merge keys \('<<'\) are not supported"):
        read_event_text("- <<: {step: a}\n", format="yaml", source="t.yaml")

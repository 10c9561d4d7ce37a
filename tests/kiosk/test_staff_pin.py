"""The maintenance PIN: stored hashed (never in clear), checked, locked for five minutes after
three wrong in a row (across a restart), and set with `main.py staff-pin set`."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

import main
from kiosk.staff_pin import LOCK_S, Locked, PinError, Right, StaffPin, Wrong

PIN = "135790"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_record_holds_no_pin_in_clear_and_only_its_owner_reads_it(tmp_path: Path) -> None:
    store = StaffPin(tmp_path)
    store.set(PIN)
    raw = store.path.read_bytes()
    assert PIN.encode() not in raw
    record = json.loads(raw)
    assert record["scheme"] == "scrypt" and {"n", "r", "p", "salt", "hash"} <= record.keys()
    assert store.path.stat().st_mode & 0o077 == 0
    StaffPin(tmp_path).set(PIN)  # a random salt: the same PIN, another record
    assert json.loads(store.path.read_bytes())["hash"] != record["hash"]


def test_three_wrong_lock_for_five_minutes_even_after_a_restart(tmp_path: Path) -> None:
    clock = Clock()
    store = StaffPin(tmp_path, clock)
    store.set(PIN)
    assert store.check("000000") == Wrong(failures=1, tries_left=2)
    assert store.check("000000") == Wrong(failures=2, tries_left=1)
    assert store.check("000000") == Locked(failures=3, remaining_s=LOCK_S)
    restarted = StaffPin(tmp_path, clock)
    clock.now += 60
    assert restarted.check(PIN) == Locked(failures=0, remaining_s=LOCK_S - 60)
    assert restarted.locked_for() == LOCK_S - 60
    clock.now += LOCK_S
    assert restarted.locked_for() == 0
    assert restarted.check(PIN) == Right()
    assert restarted.check("000000") == Wrong(failures=1, tries_left=2)  # counted afresh


def test_a_right_pin_resets_the_count(tmp_path: Path) -> None:
    store = StaffPin(tmp_path, Clock())
    store.set(PIN)
    store.check("000000")
    store.check("000000")
    assert store.check(PIN) == Right()
    assert store.check("000000") == Wrong(failures=1, tries_left=2)


@pytest.mark.parametrize("pin", ["12345", "1234567890123", "12345a", ""])
def test_only_six_to_twelve_digits_are_a_pin(tmp_path: Path, pin: str) -> None:
    with pytest.raises(PinError):
        StaffPin(tmp_path).set(pin)
    assert not StaffPin(tmp_path).is_set


def config_at(tmp_path: Path) -> Path:
    config = tmp_path / "kiosk.toml"
    config.write_text('[terminal]\nid = "T-1"\nhall = "测试大厅"\nkey = "0123456789abcdefghij"\n'
                      f'[data]\ndir = "{tmp_path / "data"}"\n', encoding="utf-8")
    return config


def test_the_cli_sets_a_pin_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN + "\n"))
    assert main.main(["--config", str(config_at(tmp_path)), "staff-pin", "set",
                      "--pin-stdin"]) == 0
    assert PIN not in capsys.readouterr().out
    assert StaffPin(tmp_path / "data").check(PIN) == Right()


def test_the_cli_asks_twice_without_echo(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([PIN, PIN, PIN, "246802"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    config = str(config_at(tmp_path))
    assert main.main(["--config", config, "staff-pin", "set"]) == 0
    assert main.main(["--config", config, "staff-pin", "set"]) == 2  # the two differ
    assert StaffPin(tmp_path / "data").check(PIN) == Right()  # the first is kept


@pytest.mark.skipif(os.geteuid() != 0, reason="only root gives a file away")
def test_set_with_sudo_the_record_stays_the_data_directorys_owners(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    os.chown(data, 4321, 4321)  # the kiosk user
    StaffPin(data).set(PIN)
    record = (data / "staff_pin.json").stat()
    assert (record.st_uid, record.st_gid) == (4321, 4321)

"""`main.py central add-terminal` and `add-user`: what an installer types and reads."""

from __future__ import annotations

import io
import re
import tomllib

import pytest
from fastapi.testclient import TestClient

import main
from central.app import KnownTerminal
from tests.central.helpers import log_in, send_heartbeat


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(["central", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_terminal_prints_the_profile_lines_and_the_key_works(
        capsys, database_url: str, make_app) -> None:
    code, out, _ = run(capsys, "add-terminal", "--hall", "东城区政务服务中心",
                       "--database-url", database_url)
    assert code == 0
    profile = tomllib.loads(out[out.index("[terminal]"):])["terminal"]
    assert re.fullmatch(r"T-[0-9A-F]{8}", profile["id"])
    assert profile["hall"] == "东城区政务服务中心" and len(profile["key"]) >= 40
    with TestClient(make_app(database_url, terminals=[])) as client:
        terminal = KnownTerminal(profile["id"], profile["hall"], profile["key"])
        assert send_heartbeat(client, terminal).maintenance is False


def test_add_terminal_refuses_a_taken_id(capsys, sqlite_url: str) -> None:
    assert run(capsys, "add-terminal", "--hall", "A", "--id", "K-1",
               "--database-url", sqlite_url)[0] == 0
    code, _, err = run(capsys, "add-terminal", "--hall", "A", "--id", "K-1",
                       "--database-url", sqlite_url)
    assert code == 2 and "already registered" in err


def test_add_user_prints_a_generated_password_that_logs_in(capsys, sqlite_url: str,
                                                          make_app) -> None:
    code, out, _ = run(capsys, "add-user", "--role", "hall-manager", "--hall", "东城区政务服务中心",
                       "--database-url", sqlite_url)
    assert code == 0
    username = re.search(r"user (\S+) \(hall-manager, 东城区政务服务中心\) added", out).group(1)
    password = re.search(r"password: (\S+)", out).group(1)
    with TestClient(make_app(sqlite_url)) as client:
        assert log_in(client, username, password).status_code == 303
        assert client.get("/console/api/me").json()["hall"] == "东城区政务服务中心"


def test_add_user_reads_a_password_from_stdin(capsys, monkeypatch, sqlite_url: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    code, out, _ = run(capsys, "add-user", "--role", "administrator", "--username", "root",
                       "--password-stdin", "--database-url", sqlite_url)
    assert code == 0 and "password:" not in out


def test_a_hall_manager_needs_a_hall(capsys, sqlite_url: str) -> None:
    code, _, err = run(capsys, "add-user", "--role", "hall-manager", "--database-url", sqlite_url)
    assert code == 2 and "--hall" in err

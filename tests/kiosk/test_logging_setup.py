"""What reaches the kiosk's log file: everything useful, nothing personal."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.logging_setup import configure_logging

ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"
NAME = "欧阳娜娜"
ADDRESS = "北京市朝阳区建国路88号"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_the_log_file_holds_only_masked_personal_data(tmp_path: Path, restore_logging) -> None:
    log_file = configure_logging(tmp_path, "INFO")
    assert log_file == tmp_path / "logs" / "kiosk.log"
    log = logging.getLogger("kiosk.test")

    log.info("读卡成功，证件号 %s，手机 %s", ID_NUMBER, MOBILE)
    log.info("申请人 %(name)s 提交 %(service)s", {"name": NAME, "service": "SS-001"})
    log.info("读卡成功", extra={"person_name": NAME, "address": ADDRESS})
    try:
        raise ValueError(f"号码 {MOBILE} 校验失败")
    except ValueError:
        log.exception("提交失败，证件 %s", ID_NUMBER)
    _flush()

    written = log_file.read_text(encoding="utf-8")
    for raw in (ID_NUMBER, MOBILE, NAME, "建国路"):
        assert raw not in written
    assert "110***********002X" in written
    assert " kiosk.test " in written  # the logger's own `name` is not a person's
    assert "138****5678" in written
    assert "申请人 欧**娜 提交 SS-001" in written
    assert "ValueError: 号码 138****5678 校验失败" in written  # the traceback is kept, masked


def test_extra_fields_reach_formatters_masked(tmp_path: Path, restore_logging) -> None:
    configure_logging(tmp_path)
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    keep = Keep()
    logging.getLogger().addHandler(keep)  # added after ours: it sees the record after them
    logging.getLogger("kiosk.test").info("x", extra={"person_name": NAME, "address": ADDRESS})
    assert seen[0].person_name == "欧**娜"
    assert seen[0].address == "北京市朝阳区***"


def test_configuring_twice_does_not_double_the_lines(tmp_path: Path, restore_logging) -> None:
    configure_logging(tmp_path, "INFO")
    log_file = configure_logging(tmp_path, "DEBUG")
    logging.getLogger("kiosk.test").debug("只写一次")
    _flush()
    assert log_file.read_text(encoding="utf-8").count("只写一次") == 1


def test_a_librarys_own_handler_does_not_print_personal_data_unmasked(
        tmp_path: Path, restore_logging, capsys) -> None:
    # python-escpos calls logging.basicConfig() when imported, before the kiosk configures
    logging.getLogger().addHandler(logging.StreamHandler())  # what basicConfig installs
    configure_logging(tmp_path, "INFO")
    logging.getLogger("kiosk.test").info("持卡人 %s", ID_NUMBER)
    _flush()
    assert ID_NUMBER not in capsys.readouterr().err


def test_an_unknown_level_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="VERBOSE"):
        configure_logging(tmp_path, "VERBOSE")

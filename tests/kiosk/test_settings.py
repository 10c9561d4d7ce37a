"""A wrong profile stops the kiosk with one line an installer can act on (exit code 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.settings import DEFAULT_CONFIG, PROJECT_ROOT, ConfigError, load_settings


def profile(tmp_path: Path, replace: str, by: str) -> Path:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    assert replace in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(replace, by, 1), encoding="utf-8")
    return path


def test_the_default_profile_is_valid_and_simulated():
    settings = load_settings()
    assert settings.platform.mode == "embedded"
    assert {d.driver for d in settings.devices.values()} == {"simulator"}
    assert settings.data_dir.is_absolute()


@pytest.mark.parametrize(("replace", "by", "expected"), [
    ("timeout_s = 5.0", "timeout_s = \"soon\"",
     "platform.timeout_s: expected a number, found 'soon'"),
    ("timeout_s = 5.0", "timeout_s = -1", "platform.timeout_s: expected a number > 0, found -1"),
    ("idle_timeout_s = 90", "idle_timout_s = 90", "ui.idle_timout_s: unknown key"),
    ('mode = "embedded"', 'mode = "cloud"',
     "platform.mode: expected one of 'embedded' or 'remote', found 'cloud'"),
    ('[devices.a4_printer]\ndriver = "simulator"', '[devices.a4_printer]\ndriver = "gadget"',
     "devices.a4_printer.driver: expected one of ['cups', 'pdf', 'simulator'], found 'gadget'"),
    ('[devices.a4_printer]\ndriver = "simulator"',
     '[devices.a4_printer]\ndriver = "cups"\nsettle_s = -1',
     "devices.a4_printer.settle_s: expected a number >= 0, found -1"),
    ("[devices.sscard]", "[devices.toaster]", "devices.toaster: unknown device family"),
    ('language = "zh_CN"', 'language = "fr"', "terminal.language: expected one of"),
    ("[terminal]", "[terminal\n", "not valid TOML"),
])
def test_a_wrong_value_names_the_file_the_key_and_what_was_expected(tmp_path, replace, by,
                                                                    expected):
    path = profile(tmp_path, replace, by)
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ") and expected in message and "\n" not in message


def test_main_exits_2_with_one_line_on_a_bad_profile(tmp_path):
    path = profile(tmp_path, "retries = 2", "retries = 99")
    done = subprocess.run([sys.executable, "main.py", "--config", str(path), "selftest"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines == [f"config error: {path}: platform.retries: expected a number <= 10, found 99"]


def test_a_missing_profile_is_named(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "nowhere.toml")


def test_the_a4_printers_settling_time_reaches_the_driver(tmp_path):
    from devices.registry import build_devices

    path = profile(tmp_path, '[devices.a4_printer]\ndriver = "simulator"',
                   '[devices.a4_printer]\ndriver = "cups"\nport = "Kiosk_A4"\nsettle_s = 2.5')
    settings = load_settings(path)
    printer = build_devices({"a4_printer": settings.devices["a4_printer"]}).by_family[
        "a4_printer"]
    assert printer.settle_s == 2.5

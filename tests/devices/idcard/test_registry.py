"""The idcard family offers the simulator and the GA 467 driver, built from config."""

from __future__ import annotations

from devices.idcard.reader import Ga467Reader
from devices.idcard.simulator import IdCardSimulator
from devices.registry import FAMILIES, build_devices
from kiosk.settings import DeviceSettings


def test_the_idcard_family_offers_the_simulator_and_the_ga467_driver():
    assert set(FAMILIES["idcard"].drivers) == {"simulator", "ga467"}


def test_a_configured_ga467_reader_gets_its_port_and_baud():
    devices = build_devices({"idcard": DeviceSettings(driver="ga467", port="/dev/ttyUSB3",
                                                      baud=9600)})
    reader = devices.by_family["idcard"]
    assert isinstance(reader, Ga467Reader)
    assert (reader.family, reader.port, reader.baud) == ("idcard", "/dev/ttyUSB3", 9600)
    assert reader.poll_interval == 0.3


def test_the_default_baud_is_115200_and_the_simulator_is_steerable():
    reader = build_devices({"idcard": DeviceSettings(driver="ga467", port="/dev/ttyS0")})
    assert reader.by_family["idcard"].baud == 115200
    simulator = build_devices({"idcard": DeviceSettings(driver="simulator")})
    assert isinstance(simulator.by_family["idcard"], IdCardSimulator)

"""The in-process simulator keeps the real reader's promises, and config picks the driver."""

from __future__ import annotations

from dataclasses import dataclass

from devices.cards import CardPresent, CardReadFailed, CardRemoved
from devices.health import Health, HealthState
from devices.registry import FAMILIES, build_devices
from devices.sscard.errors import CARD_PIN_WRONG, CARD_READ_FAILED, status_error
from devices.sscard.simulator import SsCardSimulator, sample_card


def simulator(watch) -> tuple[SsCardSimulator, object]:
    device = SsCardSimulator()
    return device, watch(device)


def test_insert_and_remove_are_told_once_each(watch):
    device, watcher = simulator(watch)
    assert device.insert(sample_card())
    event = watcher.next_event()
    assert isinstance(event, CardPresent) and event.card == sample_card()
    assert device.card == sample_card()
    device.remove()
    assert isinstance(watcher.next_event(), CardRemoved)
    device.remove()
    watcher.quiet_until()  # the simulator tells at once, or never
    assert device.card is None


def test_inserting_another_card_takes_out_the_first(watch):
    device, watcher = simulator(watch)
    device.insert(sample_card())
    device.insert(sample_card())
    assert [type(watcher.next_event()) for _ in range(3)] == [CardPresent, CardRemoved,
                                                             CardPresent]


def test_a_failed_read_is_an_error_until_the_card_leaves(watch):
    device, watcher = simulator(watch)
    assert device.fail_read()
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed)
    assert (event.code, event.message) == (CARD_READ_FAILED, "社保卡读取失败，请取出后重新插入。")
    assert (device.health().state, device.health().code) == (HealthState.ERROR, CARD_READ_FAILED)
    device.remove()
    assert isinstance(watcher.next_event(), CardRemoved)
    assert device.health().ok


def test_a_failed_read_can_be_any_defined_error(watch):
    device, watcher = simulator(watch)
    device.fail_read(status_error(0x63, 0xC2, "VERIFY"))
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed)
    assert (event.code, event.message, event.detail) == (
        CARD_PIN_WRONG, "社保卡密码错误。", "VERIFY: SW 63C2")


def test_an_unplugged_reader_has_no_card_and_takes_none(watch):
    device, watcher = simulator(watch)
    device.insert(sample_card())
    watcher.next_event()
    device.set_health(Health(HealthState.OFFLINE, "NO_DEVICE"))
    assert isinstance(watcher.next_event(), CardRemoved)
    assert not device.insert(sample_card())
    assert not device.fail_read()
    watcher.quiet_until()  # the simulator tells at once, or never
    device.set_health(Health(HealthState.OK))
    assert device.insert(sample_card())


@dataclass
class Config:
    driver: str
    port: str = ""


def test_config_picks_the_simulator_or_the_pcsc_driver_with_its_reader_name():
    assert set(FAMILIES["sscard"].drivers) == {"simulator", "pcsc"}
    devices = build_devices({"sscard": Config("simulator")})
    assert isinstance(devices.by_family["sscard"], SsCardSimulator)
    from devices.sscard.reader import PcscSsCardReader

    real = build_devices({"sscard": Config("pcsc", "ACS ACR39U")}).by_family["sscard"]
    assert isinstance(real, PcscSsCardReader)
    assert (real.family, real.reader_name) == ("sscard", "ACS ACR39U")

"""The terminal's configuration: a TOML profile from `config/`, validated at start.

A wrong key or value must stop the kiosk before anything is shown, with one line an installer
can act on: the file, the key, what was expected and what was found (`ConfigError`).
"""

from __future__ import annotations

import string
import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails  # the type of ValidationError.errors()' items

from central.contract.queue import PriorityReason

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "default.toml"


ServiceId = Annotated[str, Field(pattern=r"^SS-\d{3}$")]  # a catalog service id


class Section(BaseModel):
    # extra="forbid": a misspelt key is an installer's mistake we must name, not ignore
    model_config = ConfigDict(extra="forbid", frozen=True)


class TerminalSettings(Section):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    hall: str = Field(min_length=1)
    language: Literal["zh_CN", "en"] = "zh_CN"
    # signs every request to the platform; given by `main.py central add-terminal`
    key: str = Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9._~+/=-]+$",
                     repr=False)


class DataSettings(Section):
    dir: Path = Path("var/kiosk")
    # the AES-256 key sealing personal data in the outbox; empty: <dir>/outbox.key, made on
    # first start (readable by its owner only)
    key_file: str = ""


class PlatformSettings(Section):
    mode: Literal["embedded", "remote"] = "embedded"
    url: str = Field(default="http://127.0.0.1:8765/api/v1", pattern=r"^https?://\S+$")
    embedded_port: int = Field(default=0, ge=0, le=65535)
    embedded_database_url: str = ""
    timeout_s: float = Field(default=5.0, gt=0, le=120)
    retries: int = Field(default=2, ge=0, le=10)
    refresh_interval_s: float = Field(default=300, ge=5)
    offline_retry_s: float = Field(default=15, gt=0)
    # the platform calls a terminal offline after 3 missed heartbeats
    heartbeat_interval_s: float = Field(default=30, ge=1, le=3600)
    # how long a citizen waits for the acceptance number before the receipt says 待受理
    submit_wait_s: float = Field(default=8, gt=0, le=60)


class UiSettings(Section):
    fullscreen: bool = True
    idle_timeout_s: float = Field(default=90, ge=5)
    elder_idle_timeout_s: float = Field(default=180, ge=5)
    idle_countdown_s: float = Field(default=20, ge=3)
    simulator_panel: bool = False
    # the panel's diagonal in inches: physical sizes (mm) in the screen audit come from it
    screen_diagonal_in: float = Field(default=21.5, ge=10, le=100)
    # the voice screens are read in, and voice questions listened for, until a person
    # chooses the other one in elder mode (for their visit only)
    speech_language: Literal["mandarin", "cantonese"] = "mandarin"
    # 长辈模式's home: this hall's services for older people, at most six, in order; empty:
    # the hall's most used (the platform counts them), topped up with flows.elder_home's list
    elder_services: list[ServiceId] = Field(default=[], max_length=6)
    # an untouched home shows the attract loop after this long (kiosk.hall_hours); 0: never
    attract_after_s: float = Field(default=300, ge=0)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = r"([01]\d|2[0-3]):[0-5]\d"
# a day's opening, "08:30-17:30" (24:00 may end it); "": closed that day
DayHours = Annotated[str, Field(pattern=rf"^({_CLOCK}-({_CLOCK}|24:00))?$")]


class HoursSettings(Section):
    """The hall's hours (kiosk.hall_hours): outside them the screen is off."""

    mon: DayHours = ""
    tue: DayHours = ""
    wed: DayHours = ""
    thu: DayHours = ""
    fri: DayHours = ""
    sat: DayHours = ""
    sun: DayHours = ""
    holidays: list[date] = Field(default=[], max_length=400)
    # "03:30": restart the app at that time once nobody is at the screen; "": never
    nightly_restart: str = Field(default="", pattern=rf"^({_CLOCK})?$")
    # the sysfs backlight class whose devices are switched off while closed; "": none
    backlight: str = "/sys/class/backlight"

    @model_validator(mode="after")
    def _opens_before_it_closes(self) -> HoursSettings:
        for day in WEEKDAYS:
            start, _, end = str(getattr(self, day)).partition("-")
            if start and start >= end:
                raise ValueError(f"hours.{day} to open before it closes")
        return self


class LoggingSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class DeviceSettings(Section):
    driver: str = Field(min_length=1)
    # the transport of a real driver, e.g. "/dev/ttyUSB0"; simulators ignore it
    port: str = ""
    # line speed of a serial device
    baud: int = Field(default=115200, gt=0)
    # a model directory the driver needs, e.g. a vosk speech model; never downloaded
    model: str = ""
    # speech: a vosk Cantonese model directory for voice questions in 粤语 (empty: none)
    cantonese_model: str = ""
    # a4_printer (cups): seconds the printer's state is watched after CUPS completed a job on a
    # queue that only hands the data over (socket, usb), before the pages count as printed
    settle_s: float = Field(default=8.0, ge=0, le=120)
    # the kiosk does not serve without it: a required device that fails the self-test at start
    # shows 暂停服务 with the reason until it recovers. Unset: REQUIRED_BY_DEFAULT
    required: bool = False


# Required unless a profile says otherwise: the ID card reader, because nearly every service is
# 实人实证 and starts by reading the card (without it a person can only browse); the receipt
# printer, because the receipt is a person's only proof of what they did (the acceptance
# number, or 待受理 with the local number of an application queued offline). Without any other
# device most services still work, and the flows tell the person what is unavailable.
REQUIRED_BY_DEFAULT = frozenset({"idcard", "receipt_printer"})


class UpdateSettings(Section):
    """Remote update (`kiosk.updates`): off unless both are set."""

    # the install root holding releases/<version>/ and the `current` link (/opt/kiosk)
    root: Path | None = None
    # the platform's Ed25519 public key, PEM (GET /api/v1/signing-key), given at installation
    public_key: Path | None = None


# -- 取号: which queue system issues the numbers (kiosk.terminal builds the driver) ----------

class NovoSgaGroup(Section):
    """One of our groups (a ticket letter) as one NovoSGA service (servico) of the unity."""

    service: int = Field(ge=1, le=2**31 - 1)  # NovoSGA's servico id
    name: str = Field(default="", max_length=40)  # "": NovoSGA's own name for the service
    window_area: str = Field(min_length=1, max_length=40)  # printed on the ticket
    minutes_per_person: int = Field(default=6, ge=0, le=120)  # the wait estimate's step


class NovoSgaSettings(Section):
    """A hall's NovoSGA server (kiosk.novosga_queue): its API at <url>/api, OAuth2 password
    grant for one NovoSGA user of the unity (a 'triagem' account) and one API client."""

    url: str = Field(pattern=r"^https?://[^\s?#]+$")
    client_id: str = Field(min_length=1, max_length=200)
    client_secret: str = Field(min_length=1, max_length=500, repr=False)
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200, repr=False)
    unity: int = Field(ge=1, le=2**31 - 1)  # NovoSGA's unidade id of this hall
    groups: dict[Annotated[str, Field(pattern=r"^[A-Z]$")], NovoSgaGroup] = Field(
        min_length=1, max_length=26)
    # NovoSGA's prioridade ids: "regular" (weight 0) and one for each priority reason
    priorities: dict[str, int]
    timeout_s: float = Field(default=5.0, gt=0, le=60)
    # the slip's QR: a page of the hall's own showing a ticket, "{id}" and "{hash}" filled in
    # from NovoSGA's atendimento; "": no QR (NovoSGA has no public page per ticket)
    follow_url: str = Field(default="", max_length=200, pattern=r"^(https?://\S+)?$")

    @field_validator("priorities")
    @classmethod
    def _every_reason_mapped(cls, priorities: dict[str, int]) -> dict[str, int]:
        wanted = {"regular", *get_args(PriorityReason)}
        if set(priorities) != wanted or not all(1 <= v < 2**31 for v in priorities.values()):
            raise ValueError(f"a NovoSGA prioridade id (a whole number >= 1) for each of "
                             f"{', '.join(sorted(wanted))}")
        return priorities

    @field_validator("follow_url")
    @classmethod
    def _known_fields(cls, template: str) -> str:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        except ValueError:
            names = {"?"}
        if names - {"id", "hash"}:
            raise ValueError('a URL whose only {fields} are "{id}" and "{hash}"')
        return template


class QueueSettings(Section):
    # "platform": the platform's own queue (the demo); "novosga": the hall's NovoSGA server
    driver: Literal["platform", "novosga"] = "platform"
    novosga: NovoSgaSettings | None = None

    @model_validator(mode="after")
    def _driver_configured(self) -> QueueSettings:
        if self.driver == "novosga" and self.novosga is None:
            raise ValueError('a [queue.novosga] table when driver = "novosga"')
        return self


class Settings(Section):
    terminal: TerminalSettings
    data: DataSettings = DataSettings()
    platform: PlatformSettings = PlatformSettings()
    ui: UiSettings = UiSettings()
    hours: HoursSettings = HoursSettings()
    logging: LoggingSettings = LoggingSettings()
    updates: UpdateSettings = UpdateSettings()
    queue: QueueSettings = QueueSettings()
    devices: dict[str, DeviceSettings] = {}
    source: Path = Field(default=DEFAULT_CONFIG, exclude=True)

    @field_validator("devices", mode="before")
    @classmethod
    def _required_by_default(cls, devices: object) -> object:
        if not isinstance(devices, dict):
            return devices  # refused as not a table by the field's own validation
        return {family: {"required": family in REQUIRED_BY_DEFAULT, **device}
                if isinstance(device, dict) else device for family, device in devices.items()}

    @property
    def data_dir(self) -> Path:
        path = self.data.dir.expanduser()
        return path if path.is_absolute() else PROJECT_ROOT / path

    @property
    def outbox_key_file(self) -> Path:
        if not self.data.key_file:
            return self.data_dir / "outbox.key"
        path = Path(self.data.key_file).expanduser()
        return path if path.is_absolute() else PROJECT_ROOT / path


class ConfigError(Exception):
    """A profile that cannot be used; `str()` is the one line shown to the installer."""


def load_settings(path: Path = DEFAULT_CONFIG) -> Settings:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        settings = Settings.model_validate({**raw, "source": path})
    except ValidationError as exc:
        raise ConfigError(describe_first_error(path, exc)) from None
    _check_devices(path, settings)
    return settings


def describe_first_error(path: Path, exc: ValidationError) -> str:
    error = exc.errors()[0]
    key = ".".join(str(part) for part in error["loc"])
    found = error.get("input")
    if error["type"] == "extra_forbidden":
        return f"{path}: {key}: unknown key (found {found!r}); check its spelling"
    if error["type"] == "missing":
        return f"{path}: {key}: required key is missing"
    return f"{path}: {key}: expected {_expected(error)}, found {found!r}"


_EXPECTED_BY_TYPE = {
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text in quotes",
    "dict_type": "a table",
    "model_type": "a table",
}


def _expected(error: ErrorDetails) -> str:
    ctx = error.get("ctx") or {}
    if "expected" in ctx:
        return f"one of {ctx['expected']}"
    if "pattern" in ctx:
        return f"a value matching {ctx['pattern']}"
    for bound, word in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
        if bound in ctx:
            return f"a number {word} {ctx[bound]:g}"
    if error["type"] == "value_error":  # a model's own check, worded as what it expects
        return error["msg"].removeprefix("Value error, ")
    if "min_length" in ctx:
        return f"at least {ctx['min_length']} characters"
    return _EXPECTED_BY_TYPE.get(error["type"], error["msg"].lower())


def _check_devices(path: Path, settings: Settings) -> None:
    from devices.registry import FAMILIES

    for family, device in settings.devices.items():
        if family not in FAMILIES:
            known = ", ".join(sorted(FAMILIES))
            raise ConfigError(f"{path}: devices.{family}: unknown device family; known: {known}")
        drivers = FAMILIES[family].drivers
        if device.driver not in drivers:
            raise ConfigError(
                f"{path}: devices.{family}.driver: expected one of {sorted(drivers)}, "
                f"found {device.driver!r}"
            )

"""Receipt printer profiles: the model data of `profiles.toml` over python-escpos's capabilities.

A `PrinterModel` is everything the driver, the preview and the emulator need to know about a
model: its figures (columns, dots, paper), its Chinese encoding, whether it prints QR codes
itself and cuts, and how it answers status requests. Names that are not in `profiles.toml` are
taken as python-escpos capability profiles with the defaults of a GB18030 80 mm printer, so a
configured `?profile=TM-T88IV` keeps working.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

PROFILES_FILE = Path(__file__).with_name("profiles.toml")
DEFAULT_PROFILE = "TM-T20II"
ENCODINGS = ("gb18030", "gbk", "gb2312", "utf-8")
Encoding = Literal["gb18030", "gbk", "gb2312", "utf-8"]
Completion = Literal["gs_r", "none"]

# Epson's DLE EOT 4 pairs: bits 5+6 roll paper end, bits 2+3 near end (TM-T88III reference)
EPSON_PAPER_END = (0x60,)
EPSON_NEAR_END = (0x0C,)


class ProfileError(ValueError):
    """A profile that does not exist or cannot be used; the message names it."""


@dataclass(frozen=True)
class PrinterModel:
    """What differs between receipt printers (see profiles.toml for each field's meaning)."""

    profile: str = DEFAULT_PROFILE
    vendor: str = "Epson"
    model: str = "TM-T20II"
    escpos_profile: str = DEFAULT_PROFILE  # the python-escpos profile that builds commands
    columns: int = 48  # font A, 12 dots per column
    print_width_dots: int = 576
    dpi: int = 203
    paper_width_mm: float = 80.0  # the roll; capabilities give the printable width, not this
    native_qr: bool = True
    cutter: Literal["full", "partial", "none"] = "full"
    encoding: Encoding = "gb18030"
    clears_buffer_on_abort: bool = True
    realtime_status: bool = True  # answers DLE EOT; off for the few that do not
    completion: Completion = "gs_r"
    paper_end: tuple[int, ...] = EPSON_PAPER_END
    near_end: tuple[int, ...] = EPSON_NEAR_END
    sources: tuple[str, ...] = field(default=(), repr=False)

    @property
    def cut(self) -> bool:
        return self.cutter != "none"

    @property
    def confirms_completion(self) -> bool:
        return self.completion == "gs_r" and self.realtime_status

    @classmethod
    def from_profile(cls, name: str = DEFAULT_PROFILE, realtime_status: bool = True
                     ) -> PrinterModel:
        """The model of profile `name`; `realtime_status=False` for a link set to status=off."""
        model = load_profile(name)
        if not realtime_status:
            model = replace(model, realtime_status=False)
        return model


def profile_names() -> list[str]:
    return sorted(_table()["profiles"])


def default_profile_name() -> str:
    return str(_table().get("default", DEFAULT_PROFILE))


def get_profile(name: str) -> Any:
    # python-escpos's capability database loads in 0.2 s: when a profile is first asked for,
    # not on the way to the first screen (bench/cold_start.py)
    from escpos.capabilities import get_profile as escpos_profile

    return escpos_profile(name)


@lru_cache(maxsize=32)
def load_profile(name: str) -> PrinterModel:
    """A profile of profiles.toml, else a python-escpos capability profile of that name."""
    entry = _table()["profiles"].get(name)
    if entry is None:
        try:
            get_profile(name)
        except Exception:  # python-escpos raises its own NotSupported for an unknown name
            known = ", ".join(profile_names())
            raise ProfileError(f"unknown receipt printer profile {name!r} (known: {known}; "
                               "or a python-escpos capability profile)") from None
        entry = {"escpos_profile": name, "model": name, "vendor": ""}
    return _model(name, entry)


def _model(name: str, entry: dict[str, Any]) -> PrinterModel:
    base = str(entry.get("escpos_profile", name))
    try:
        data = get_profile(base).profile_data
    except Exception:
        raise ProfileError(f"profile {name}: no python-escpos profile {base!r}") from None
    media = data.get("media", {})
    width = media.get("width", {})
    features = data.get("features", {})
    cutter = "full" if features.get("paperFullCut") else (
        "partial" if features.get("paperPartCut") else "none")
    figures: dict[str, Any] = {
        "columns": _number(data.get("fonts", {}).get("0", {}).get("columns"),
                           PrinterModel.columns),
        "print_width_dots": _number(width.get("pixels"), PrinterModel.print_width_dots),
        "dpi": _number(media.get("dpi"), PrinterModel.dpi),
        "native_qr": bool(features.get("qrCode", True)),
        "cutter": cutter,
    }
    for key in ("columns", "print_width_dots", "dpi", "paper_width_mm", "native_qr", "cutter",
                "encoding", "realtime_status", "completion"):
        if key in entry:
            figures[key] = entry[key]
    if figures.get("encoding", "gb18030") not in ENCODINGS:
        raise ProfileError(f"profile {name}: encoding must be one of {', '.join(ENCODINGS)}")
    if figures.get("completion", "gs_r") not in ("gs_r", "none"):
        raise ProfileError(f"profile {name}: completion must be gs_r or none")
    if figures["cutter"] not in ("full", "partial", "none"):
        raise ProfileError(f"profile {name}: cutter must be full, partial or none")
    for key in ("paper_end", "near_end"):
        if key in entry:
            figures[key] = tuple(int(mask) for mask in entry[key])
            if not all(0 < mask < 0x100 for mask in figures[key]):
                raise ProfileError(f"profile {name}: status masks are bytes 0x01-0xFF")
    figures.update(
        profile=name,
        vendor=str(entry.get("vendor", "")),
        model=str(entry.get("model", name)),
        escpos_profile=base,
        sources=tuple(str(source) for source in entry.get("sources", ())),
    )
    return PrinterModel(**figures)


def _number(value: object, default: int) -> int:
    """A figure of the capabilities ("Unknown" in some): a number, or the default."""
    return int(value) if isinstance(value, int | float) else default


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    with PROFILES_FILE.open("rb") as file:
        table = tomllib.load(file)
    table.setdefault("profiles", {})
    return table

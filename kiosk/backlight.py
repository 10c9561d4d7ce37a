"""The screen's backlight through sysfs: off while the hall is closed, on again at a touch.

Linux's backlight class (Documentation/ABI/stable/sysfs-class-backlight) gives each panel a
directory under /sys/class/backlight with `bl_power`: 0 (FB_BLANK_UNBLANK) powers the backlight,
4 (FB_BLANK_POWERDOWN) turns it off, and `brightness` is left as the installer set it. This
path was chosen over `xset dpms force off` because it works whatever draws the screen (cage,
XWayland or none) and needs no display connection; a panel without a backlight device (a
monitor on HDMI) keeps its backlight and shows the black screen. The files are root's: the
udev rule of the install lets the kiosk account write them, and a write that is refused is
logged once, not raised: the screen is black all the same.

The root is injectable so tests use a temporary directory. Qt-free.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

SYSFS_BACKLIGHT = Path("/sys/class/backlight")
POWER_ON = "0"  # FB_BLANK_UNBLANK
POWER_OFF = "4"  # FB_BLANK_POWERDOWN


class Backlight:
    """Every backlight device under `root`; none (or no root): nothing to switch."""

    def __init__(self, root: Path | None = SYSFS_BACKLIGHT) -> None:
        self.root = root
        self._refused: set[Path] = set()  # logged once each

    def devices(self) -> list[Path]:
        if self.root is None or not self.root.is_dir():
            return []
        return sorted(path for path in self.root.iterdir() if (path / "bl_power").exists())

    def set_power(self, on: bool) -> None:
        value = POWER_ON if on else POWER_OFF
        for device in self.devices():
            target = device / "bl_power"
            try:
                if target.read_text().strip() != value:  # a lit panel at start is left alone
                    target.write_text(value)
            except OSError as exc:
                if target not in self._refused:
                    self._refused.add(target)
                    log.warning("backlight %s not switched %s: %s", device.name,
                                "on" if on else "off", exc)

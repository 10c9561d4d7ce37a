"""Shared test fixtures: the seed catalog, as the platform would serve it; Chromium."""

from __future__ import annotations

import faulthandler
import gc
import json
import os
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from central.contract import Catalog, Service

SEED = Path(__file__).resolve().parent.parent / "central" / "seed_data" / "services.json"


def load_seed_catalog() -> Catalog:
    raw = json.loads(SEED.read_text(encoding="utf-8"))
    services = [Service.model_validate(s) for s in raw["services"]]
    themes = list(dict.fromkeys(s.theme for s in services))
    return Catalog(version="test", published_at=datetime(2026, 11, 1, tzinfo=UTC),
                   themes=themes, services=services)


# pytest-timeout ends a stuck test by ending its process, and under xdist the stacks it prints
# are lost with the worker: "node down: Not properly terminated" is all a CI log would say.
# So a few seconds before the limit every thread's stack goes to the real stderr, which the
# workers share with the run's log.
DUMP_BEFORE_LIMIT_S = 5.0
_stderr_copy: list[int] = []


def pytest_configure(config: pytest.Config) -> None:
    assert sys.__stderr__ is not None
    _stderr_copy.append(os.dup(sys.__stderr__.fileno()))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    marker = item.get_closest_marker("timeout")
    limit = float(marker.args[0]) if marker and marker.args else float(
        item.config.getini("timeout") or 0)
    main = threading.get_ident()
    # the test's own thread first (faulthandler stops after 100 threads) and again after all
    # of them (a CI log may keep only its tail)
    own = [threading.Timer(limit - DUMP_BEFORE_LIMIT_S + offset, _write_stack_of, (main, item))
           for offset in (-1.0, 2.0)]
    if limit > DUMP_BEFORE_LIMIT_S and _stderr_copy:
        for timer in own:
            timer.daemon = True
            timer.start()
        faulthandler.dump_traceback_later(limit - DUMP_BEFORE_LIMIT_S, file=_stderr_copy[0])
    try:
        with (_cycles_freed_on_this_thread() if "qapp" in getattr(item, "fixturenames", ())
              else nullcontext()):
            return (yield)
    finally:
        for timer in own:
            timer.cancel()
        faulthandler.cancel_dump_traceback_later()


# Python's cyclic collector runs in whichever thread allocates when its counts pass the
# thresholds: a render in `asyncio.to_thread`, a device's thread, a platform's server. Qt
# objects a test left in reference cycles (a kiosk window and the lambdas its buttons call) are
# then destroyed in that thread ("QObject::~QObject: Timers cannot be stopped from another
# thread") and Qt is left broken: with a collection forced in a thread between tests, the
# next kiosk's `setStyleSheet` segfaulted in tests/ui/test_staff_exit.py, and a worker running
# tests/test_no_copies_on_disk.py, which renders PDFs in threads, died in CI. So, as the kiosk
# does (ui/gui_gc.py), no automatic collection during a Qt test, and its cycles are freed here,
# on the main thread, once pytest-qt has closed its widgets (about 0.2 s a Qt test).
#
# Its windows are deleted there too: a kiosk window is kept alive from C++ (its children's
# signals hold lambdas that hold the window), so closing it freed nothing, and a worker's later
# Qt tests slowed down under every window before them (27 kiosk windows alive after
# tests/ui/test_service_screens.py alone; every style sheet change polishes them all).
@contextmanager
def _cycles_freed_on_this_thread() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _delete_top_level_widgets()
        gc.collect()
        if was_enabled:
            gc.enable()


def _delete_top_level_widgets() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _write_stack_of(thread_id: int, item: pytest.Item) -> None:
    frame = sys._current_frames().get(thread_id)
    stack = "".join(traceback.format_stack(frame)) if frame is not None else "(gone)\n"
    os.write(_stderr_copy[0], f"{item.nodeid} is near its time limit; its thread:\n{stack}"
             .encode(errors="replace"))


@pytest.fixture
def seed_catalog() -> Catalog:
    return load_seed_catalog()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright on a thread of its own (tests/console/conftest.py),
    one for the session: the console's tests and the phone that pays a kiosk's QR code."""
    from tests.console.conftest import launched_chromium

    yield from launched_chromium()

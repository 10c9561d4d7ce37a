"""A terminal's words are data in the console, never markup, in a real browser.

Tried as an attacker holding one kiosk's key would: a heartbeat whose device names carried
`</script><input hx-post=… hx-trigger=load>` broke out of the chart data on the overview and
terminal pages, and an administrator opening them made the browser send `maintenance_on` to a
terminal in another hall, with the administrator's CSRF header. Device names are now held to
a pattern (refused otherwise); the free text a terminal may send (a device's detail) carries
the same fragments here, and must show as text while the other hall's terminal stays in
service.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import requests

from central.contract import signed_headers
from central.db import CommandRecord, TerminalRecord
from tests.console.conftest import EAST, WEST, expect, log_in, on_playwright_thread

HEARTBEATS = "/api/v1/heartbeats"
PAYLOADS = [
    f'</script><input hx-post="/console/api/terminals/{WEST.id}/commands" hx-trigger="load"'
    ' name=kind value=maintenance_on>',
    f'" hx-post="/console/terminals/{WEST.id}/commands" hx-trigger="load" x="',
    "<img src=x onerror=\"document.title='owned'\">",
    "{{7*7}}<script>document.title='owned'</script>",
]


def beat(platform, devices: list[dict]) -> requests.Response:
    body = json.dumps({
        "app_version": "0.1.0", "sent_at": datetime.now(UTC).isoformat(), "uptime_s": 60.0,
        "interval_s": 30.0, "network": "online", "devices": devices,
    }).encode()
    path = HEARTBEATS
    headers = signed_headers(EAST.id, EAST.key, "POST", path, body)
    return requests.post(f"{platform.base_url.removesuffix('/api/v1')}{path}", data=body,
                         headers={**headers, "Content-Type": "application/json"}, timeout=10)


def west_untouched(platform) -> None:
    with platform.app.state.sessions() as session:
        assert session.get(TerminalRecord, WEST.id).maintenance is False
        assert session.query(CommandRecord).filter_by(terminal_id=WEST.id).count() == 0


def test_markup_in_a_terminals_heartbeat_is_refused_or_shown_as_text(page, platform) -> None:
    for payload in PAYLOADS:  # as a device name: refused whole
        refused = beat(platform, [{"family": payload, "state": "error", "code": "PAPER_OUT"}])
        assert refused.status_code == 422, refused.text
    devices = [{"family": f"printer_{i}", "state": "error", "code": "PAPER_OUT",
                "detail": payload} for i, payload in enumerate(PAYLOADS)]
    assert beat(platform, devices).status_code == 200  # as free text: taken, as text

    log_in(page, platform)
    for path in ("/", f"/terminals/{EAST.id}", "/alerts", "/terminals"):
        page.goto(f"{platform.console_url}{path}")
        expect(page.get_by_role("heading").first).to_be_visible()
        assert page.title() != "owned"
        assert page.locator(f"input[hx-post*='{WEST.id}']").count() == 0
        assert page.locator("img[src=x]").count() == 0
    page.goto(f"{platform.console_url}/terminals/{EAST.id}")
    for payload in PAYLOADS:
        expect(page.locator("#devices").get_by_text(payload, exact=True)).to_be_visible()
    sent = on_playwright_thread(lambda: list(page._target.requested))
    assert not [url for url in sent if "/commands" in url], "the page sent a command"
    west_untouched(platform)
    requests.get(f"{platform.base_url}/health", timeout=1).raise_for_status()

"""How long a certificate takes, from the kiosk's request to pages on its screen.

    python bench/certificates.py [--count 20]

Starts the embedded platform on a fresh SQLite database, verifies the demo's resident card once
and then asks for `--count` SS-001 certificates (one year, four insurance types) and SS-023 tax
records (three years, so two pages) through the kiosk's own platform client, over HTTP with
signed requests; then draws every page of the last of each with PDFium as the preview screen
does. Prints the median and worst time of each step and the PDF sizes. Figures, never
assertions.
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import tempfile
import time
import uuid

from PIL import Image

from central.app import KnownTerminal
from central.contract import (
    CertificateRequest,
    FaceSample,
    IdentityEvidenceIn,
    VerificationRequest,
)
from central.server import EmbeddedPlatform
from kiosk.platform_client import PlatformClient, TerminalCredentials
from ui.screens.certificate import render_pages

TERMINAL = KnownTerminal("BENCH-01", "测试大厅", "bench-terminal-key-0123456789abcdef")
ASKS = {
    "SS-001": {"period": ["2025-01-01", "2025-12-31"],
               "insurance_types": ["企业职工基本养老保险", "失业保险", "工伤保险",
                                   "城镇职工基本医疗保险"]},
    "SS-023": {"period": ["2023-01-01", "2025-12-31"]},
}


def face() -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 170, 150)).save(out, format="JPEG")
    return base64.b64encode(out.getvalue()).decode("ascii")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, EmbeddedPlatform(
            f"sqlite:///{tmp}/central.sqlite3", terminals=[TERMINAL],
            sweep_interval_s=0) as platform:
        client = PlatformClient(platform.base_url, timeout_s=10,
                                credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key))
        verification = client.verify_identity(VerificationRequest(
            evidence=IdentityEvidenceIn(kind="id_card", name="张三",
                                        id_number="110101199003070011", dedicated_reader=True),
            face=FaceSample(jpeg_b64=face(), quality=0.9, liveness_passed=True)))
        assert verification.verification_id and verification.holder
        for service_id, options in ASKS.items():
            took, pdf = [], b""
            for _ in range(args.count):
                start = time.perf_counter()
                issued = client.issue_certificate(CertificateRequest(
                    service_id=service_id, verification_id=verification.verification_id,
                    holder=verification.holder, options=options), uuid.uuid4().hex)
                took.append(time.perf_counter() - start)
                pdf = issued.pdf
            start = time.perf_counter()
            pages = render_pages(pdf)
            drawn = time.perf_counter() - start
            print(f"{service_id}: issued in median {statistics.median(took) * 1000:.0f} ms, "
                  f"worst {max(took) * 1000:.0f} ms over {args.count}; PDF {len(pdf) / 1024:.0f}"
                  f" kB, {len(pages)} page(s) drawn for the screen in {drawn * 1000:.0f} ms")
        client.close()


if __name__ == "__main__":
    main()

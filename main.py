"""Entry point: `python main.py` runs the kiosk demo; subcommands run the rest.

    python main.py [--config FILE] [run] [--windowed]   the kiosk (default)
    python main.py [--config FILE] central [--host H] [--port P]   the platform alone
    python main.py [--config FILE] central add-terminal --hall NAME   register a terminal
    python main.py [--config FILE] central add-user --role ROLE [--hall NAME]   a console user
    python main.py [--config FILE] central set-status NUMBER STATUS [--note TEXT]   办件 status
    python main.py [--config FILE] central reconcile --payments FILE [--date YYYY-MM-DD]   对账
    python main.py [--config FILE] screenshot --out DIR [--portrait]   every screen to PNG
    python main.py [--config FILE] devices check [--family F] [--json] [--wait S] [--lang L]
                                                         each device: what it is, a test action
                                                         (read a card, print, capture, record and
                                                         play back), PASS/FAIL; 1 if any fails
    python main.py [--config FILE] selftest              `devices check` without the actions
    python main.py [--config FILE] staff-pin set [--pin-stdin]   the maintenance PIN the staff
                                                         exit asks for (asked twice, no echo)
    python main.py translations                          refresh ui/translations/*.ts from the code
    python main.py decode IMAGE... [--json]              the QR codes and barcodes in images
    python main.py document IMAGE --out DIR [--json]     page corners, straightened page written
    python main.py [--config FILE] ask "问题" [--json]    the services a question most likely means
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from common.i18n import Text
from devices.check import CHECK_FAMILIES
from kiosk.settings import DEFAULT_CONFIG, PROJECT_ROOT, ConfigError, Settings, load_settings


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="政务服务自助终端")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                        help="TOML profile (default: config/default.toml)")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="run the kiosk (default)")
    run.add_argument("--windowed", action="store_true", help="a window instead of fullscreen")
    central = commands.add_parser("central", help="run the central platform alone")
    central.add_argument("--host", default="127.0.0.1")
    central.add_argument("--port", type=int, default=8765)
    central.add_argument("--database-url",
                         help="SQLAlchemy URL (default: var/central/central.sqlite3 beside the "
                              "kiosk's data, never the demo's)")
    central.add_argument("--development", action="store_true",
                         help="allow the development-only identity verifier and certificate "
                              "issuer (they compare no faces and make records up)")
    central_commands = central.add_subparsers(dest="central_command")
    add_terminal = central_commands.add_parser(
        "add-terminal", help="register a terminal; prints its id and key")
    add_terminal.add_argument("--hall", required=True, help="the service hall it stands in")
    add_terminal.add_argument("--id", dest="terminal_id", help="terminal id (default: generated)")
    add_user = central_commands.add_parser("add-user", help="add a console user")
    add_user.add_argument("--role", required=True, choices=["administrator", "hall-manager"])
    add_user.add_argument("--hall", help="the hall a hall manager looks after")
    add_user.add_argument("--username", help="login name (default: generated)")
    add_user.add_argument("--password-stdin", action="store_true",
                          help="read the password from standard input (default: generated)")
    set_status = central_commands.add_parser(
        "set-status", help="move an application on (在办, 补齐补正, 挂起, 办结, 不予许可 …)")
    set_status.add_argument("number", help="the acceptance number (受理编号)")
    set_status.add_argument("status", help="the new status, as in GB/T 40756 §9.4.6.5")
    set_status.add_argument("--note", default="", help="for the citizen, shown in the timeline")
    reconcile = central_commands.add_parser(
        "reconcile", help="对账: match a day's payment statements with the payments")
    reconcile.add_argument("--date", type=_day, default=None,
                           help="the statements' day, YYYY-MM-DD (default: yesterday, in China)")
    reconcile.add_argument("--payments", type=Path, required=True, metavar="FILE",
                           help="the merchant accounts, TOML (see central/payments/accounts.py)")
    reconcile.add_argument("--channel", choices=["wechat", "alipay"], action="append",
                           help="only this provider (may be given twice; default: all in FILE)")
    release = central_commands.add_parser(
        "release", help="build a release bundle of the code in DIR, signed for remote update")
    release.add_argument("--version", required=True, help="its version, e.g. 1.4.0")
    release.add_argument("--from", dest="source", type=Path, required=True, metavar="DIR",
                         help="a directory of the code (a git checkout: its tracked files)")
    for sub in (add_terminal, add_user, set_status, reconcile, release):
        sub.add_argument("--database-url", default=argparse.SUPPRESS,
                         help="SQLAlchemy URL (default: as for central)")
    shot = commands.add_parser("screenshot", help="render the main screens to PNG offscreen")
    shot.add_argument("--out", type=Path, required=True)
    shot.add_argument("--portrait", action="store_true",
                      help="also every screen at 1080x1920, as an upright kiosk shows it")
    commands.add_parser("selftest", help="every device's identity and health (devices check "
                                         "without the test actions)")
    devices = commands.add_parser("devices", help="the terminal's devices")
    device_commands = devices.add_subparsers(dest="devices_command", required=True)
    check = device_commands.add_parser(
        "check", help="each device: what it is, a test action, PASS/FAIL with the reason")
    check.add_argument("--family", choices=CHECK_FAMILIES, help="only this kind of device")
    check.add_argument("--json", action="store_true",
                       help='a JSON list [{"family","device","identity","action","ok","code",'
                            '"message","detail"}…]')
    check.add_argument("--wait", type=float, default=10.0, metavar="SECONDS",
                       help="how long a card reader waits for a card to be placed (default 10, "
                            "at least 3)")
    check.add_argument("--lang", choices=["zh_CN", "en"], default="zh_CN",
                       help="language of the messages (default: Simplified Chinese)")
    staff_pin = commands.add_parser("staff-pin", help="the maintenance PIN (staff exit)")
    pin_commands = staff_pin.add_subparsers(dest="staff_pin_command", required=True)
    set_pin = pin_commands.add_parser(
        "set", help="set it: 6 to 12 digits, asked twice without echo; stored hashed")
    set_pin.add_argument("--pin-stdin", action="store_true",
                         help="read it from the first line of standard input (for scripts)")
    decode = commands.add_parser("decode", help="print the QR codes and barcodes in images")
    decode.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    decode.add_argument("--json", action="store_true", help="a JSON list, one entry per image")
    document = commands.add_parser("document", help="find the page in a photo, straighten it")
    document.add_argument("image", type=Path, metavar="IMAGE")
    document.add_argument("--out", type=Path, required=True, help="folder for the page image")
    document.add_argument("--json", action="store_true", help="print the result as JSON")
    document.add_argument("--mode", choices=["plain", "colour", "grey", "bw"], default="colour",
                          help="enhancement of the written page (default: colour)")
    commands.add_parser("translations", help="update the translation sources from the code")
    ask = commands.add_parser("ask", help="the services a question in plain words means")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true",
                     help='a JSON list [{"service_id","name","score","answer","kind"}…]')
    ask.add_argument("--limit", type=int, default=3, help="how many services (default: 3)")
    args = parser.parse_args(argv)
    if args.command is None:
        args.command, args.windowed = "run", False
    return args


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def central_database_url(settings: Settings) -> str:
    """The embedded demo platform's database."""
    url = settings.platform.embedded_database_url
    return url or f"sqlite:///{settings.data_dir / 'central.sqlite3'}"


def standalone_database_url(settings: Settings) -> str:
    """`main.py central`'s default database: beside the kiosk's data, never the demo's (its
    terminal key is public and its citizens made up)."""
    folder = settings.data_dir.parent / "central"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'central.sqlite3'}"


@contextlib.contextmanager
def platform_url(settings: Settings) -> Iterator[str]:
    """The platform to talk to: the configured one, or the reference platform on loopback."""
    with serving_platform(settings) as (url, _sandbox):
        yield url


@contextlib.contextmanager
def serving_platform(settings: Settings) -> Iterator[tuple[str, str | None]]:
    """The platform to talk to, and the address of the payment gateway sandbox it takes
    payments at when it is the embedded demo platform (None otherwise)."""
    if settings.platform.mode == "remote":
        yield settings.platform.url, None
        return
    from central.app import KnownTerminal
    from central.server import EmbeddedPlatform

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    terminal = settings.terminal
    # the demo takes payments at the gateway sandbox, on loopback beside it (its /sandbox/ API
    # makes pay codes to scan, its /phone page pays a QR code)
    platform = EmbeddedPlatform(central_database_url(settings),
                                port=settings.platform.embedded_port,
                                terminals=[KnownTerminal(terminal.id, terminal.hall, terminal.key)],
                                demo=True, payment_sandbox=True)
    platform.start()
    try:
        yield platform.base_url, platform.sandbox.base_url if platform.sandbox else None
    finally:
        platform.stop()


def run_kiosk(settings: Settings, windowed: bool) -> int:
    from kiosk.logging_setup import configure_logging
    from kiosk.telemetry import RESTART_EXIT_CODE
    from kiosk.terminal import build_terminal
    from kiosk.updates import switch_pending
    from ui.app import run

    configure_logging(settings.data_dir, settings.logging.level)
    with serving_platform(settings) as (url, sandbox):
        code = run(build_terminal(settings, url), windowed, payment_sandbox=sandbox)
    if code == RESTART_EXIT_CODE and switch_pending(settings.data_dir):
        return code  # a new release: the unit starts it through the boot step (kiosk.boot)
    if code == RESTART_EXIT_CODE:  # the platform asked for a restart: start afresh
        os.execv(sys.executable, [sys.executable, *sys.argv])
    return code


def screenshot(settings: Settings, out: Path, portrait: bool = False) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync

    from kiosk.terminal import build_terminal
    from ui.app import Kiosk, application
    from ui.screenshot import take_screenshots

    app = application()
    loop = qasync.QEventLoop(app)
    with platform_url(settings) as url, loop:
        kiosk = Kiosk(build_terminal(settings, url), app)
        for path in loop.run_until_complete(take_screenshots(kiosk, out, portrait)):
            print(path)
    return 0


def central_admin(args: argparse.Namespace, database_url: str) -> int:
    """`central add-terminal` and `central add-user`: print what the installer must keep."""
    if args.central_command == "set-status":
        return set_application_status(args, database_url)
    if args.central_command == "reconcile":
        return reconcile_payments(args, database_url)
    if args.central_command == "release":
        return publish_release(args, database_url)
    from central.admin import create_user, register_terminal
    from central.console.users import UserError
    from central.terminals import RegistryError

    try:
        if args.central_command == "add-terminal":
            new = register_terminal(database_url, args.hall, args.terminal_id)
            print(f"terminal {new.id} registered in {new.hall}. Its profile needs:\n")
            print(f'[terminal]\nid = "{new.id}"\nhall = "{new.hall}"\nkey = "{new.key}"')
            return 0
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
        user = create_user(database_url, args.role, args.hall, args.username, password)
    except (RegistryError, UserError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"user {user.username} ({user.role}{', ' + user.hall if user.hall else ''}) added")
    if not args.password_stdin:
        print(f"password: {user.password}  (shown once)")
    return 0


def publish_release(args: argparse.Namespace, database_url: str) -> int:
    """`central release`: the bundle kept with its signed manifest; terminals get it by rollout."""
    from pydantic import ValidationError

    from central.releases import ReleaseError, publish

    try:
        manifest = publish(database_url, args.version, args.source, datetime.now(UTC))
    except (ReleaseError, ValidationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"release {manifest.version}: {manifest.size} bytes, sha256 {manifest.sha256}")
    return 0


def set_application_status(args: argparse.Namespace, database_url: str) -> int:
    """`central set-status`: the department's decision, a new event in the timeline."""
    from central.applications import StatusChangeRefused, change_status

    try:
        progress = change_status(database_url, args.number, args.status, args.note)
    except StatusChangeRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{progress.acceptance_number}: {progress.status}")
    for document in progress.documents:
        print(f"document {document.name}: {document.path}")
    return 0


def reconcile_payments(args: argparse.Namespace, database_url: str) -> int:
    """`central reconcile`: 0 when every statement was matched (findings or not), 1 when a
    statement could not be had or read (the providers make a day's from 10:00 the next day),
    2 for a wrong accounts file."""
    from datetime import UTC, datetime, timedelta

    from central.admin import reconcile
    from central.labels import CHANNELS, FINDING_KINDS, RUN_OUTCOMES, yuan
    from central.payments.accounts import AccountsError, load_providers
    from central.payments.reconciliation import china_day

    try:
        providers = load_providers(args.payments)
    except AccountsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    day = args.date or china_day(datetime.now(UTC)) - timedelta(days=1)
    report, found = reconcile(database_url, day, providers, args.channel)
    for outcome in report.channels:
        print(f"{day} {CHANNELS[outcome.channel]}: {RUN_OUTCOMES[outcome.outcome]}"
              + (f", {outcome.lines} lines, {len(outcome.findings)} new findings"
                 if outcome.outcome == "done" else f" ({outcome.note})"))
    for finding in found:
        print(f"  {FINDING_KINDS[finding.kind]} {finding.terminal_id or '-'} "
              f"{finding.out_trade_no} platform {yuan(finding.expected_fen)} "
              f"statement {yuan(finding.statement_fen)}")
    return 0 if report.complete else 1


def selftest(settings: Settings) -> int:
    """`selftest`: `devices check` without the test actions (identity and health)."""
    return check_devices(settings, None, as_json=False, wait_s=0, language="zh_CN",
                         actions=False)


def set_staff_pin(settings: Settings, from_stdin: bool) -> int:
    """`staff-pin set`: 0 when set, 2 when the two differ or it is not 6 to 12 digits."""
    import getpass

    from kiosk.staff_pin import PinError, StaffPin

    if from_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("维护密码 maintenance PIN (6-12 digits): ")
        if getpass.getpass("再输入一次 again: ") != pin:
            print("error: the two PINs differ; nothing was changed", file=sys.stderr)
            return 2
    store = StaffPin(settings.data_dir)
    try:
        store.set(pin)
    except PinError as exc:
        print(f"error: {exc}; nothing was changed", file=sys.stderr)
        return 2
    print(f"maintenance PIN set (stored hashed in {store.path})")
    return 0


def check_devices(settings: Settings, family: str | None, as_json: bool, wait_s: float,
                  language: str, actions: bool = True) -> int:
    """`devices check`: 0 when every device passed, 1 when any failed."""
    import logging

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # Qt below needs no display
    logging.basicConfig(level=logging.ERROR)  # stdout is for the report, stderr for prompts
    from devices.check import CheckOptions
    from devices.check.run import as_text, check_devices, results_json

    if actions and family in (None, "a4"):
        from PySide6.QtGui import QGuiApplication

        # the A4 test page is laid out by Qt, which wants its application first
        _app = QGuiApplication.instance() or QGuiApplication([])
    translate = _translator(language)

    def prompt(text: Text) -> None:
        print(text.render(translate), file=sys.stderr, flush=True)

    results = check_devices(settings.devices, CheckOptions(actions, wait_s, prompt), family)
    print(results_json(results, translate) if as_json else as_text(results, translate))
    return 0 if all(result.ok for result in results) else 1


def _translator(language: str) -> Callable[[str], str]:
    """The translation of marked text: the shell's English file, through Qt's translator."""
    if language == "zh_CN":
        return lambda source: source
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    from ui.i18n import Language

    # a QGuiApplication, as the A4 renderer needs one; offscreen: no display is needed
    app = QGuiApplication.instance() or QGuiApplication([])
    Language(app).switch(language)
    return lambda source: QCoreApplication.translate("", source)


def decode_images(images: list[Path], as_json: bool) -> int:
    """`decode`: the codes in each image; exit 1 when an image could not be read."""
    import json
    import time

    import cv2

    from devices.codes.pipeline import read_codes

    results, unreadable = [], 0
    for path in images:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR) if path.is_file() else None
        if image is None:
            unreadable += 1
            results.append({"image": str(path), "codes": [], "error": "cannot read image"})
            continue
        start = time.perf_counter()
        codes = read_codes(image)
        elapsed_ms = (time.perf_counter() - start) * 1000
        results.append({"image": str(path), "ms": round(elapsed_ms, 1),
                        "codes": [{"format": c.format, "text": c.text} for c in codes]})
    if as_json:
        print(json.dumps(results, indent=1))
    else:
        for entry in results:
            found = entry["codes"] or [{"format": "-", "text": entry.get("error", "no code")}]
            for code in found:  # the payload quoted: it is untrusted text
                text = json.dumps(code["text"], ensure_ascii=False)
                print(f"{entry['image']}\t{code['format']}\t{text}")
    return 1 if unreadable else 0


def straighten_document(image_path: Path, out: Path, as_json: bool, mode: str) -> int:
    """`document`: the page's corners and the corrected page; exit 1 when none is found."""
    import json

    import cv2

    from devices.camera.document import enhance, find_document, straighten

    image = cv2.imread(str(image_path), cv2.IMREAD_COLOR) if image_path.is_file() else None
    if image is None:
        print(f"{image_path}: cannot read image", file=sys.stderr)
        return 2
    found = find_document(image)
    result: dict = {"image": str(image_path), "found": found is not None}
    if found is not None:
        page = straighten(image, found.corners, kind=found.kind)
        if mode != "plain":
            page = enhance(page, mode)
        out.mkdir(parents=True, exist_ok=True)
        written = out / f"{image_path.stem}-page.jpg"
        cv2.imwrite(str(written), page, [cv2.IMWRITE_JPEG_QUALITY, 92])
        result |= {"corners": found.corner_list(), "kind": found.kind,
                   "width": page.shape[1], "height": page.shape[0], "out": str(written)}
    if as_json:
        print(json.dumps(result))
    elif found is None:
        print(f"{image_path}: no page found")
    else:
        corners = " ".join(f"({x:.0f},{y:.0f})" for x, y in result["corners"])
        print(f"{image_path}: {found.kind} at {corners} -> {result['out']}")
    return 0 if found is not None else 1


def ask_question(settings: Settings, question: str, as_json: bool, limit: int) -> int:
    """`ask`: what the kiosk would answer. Knowledge from the platform when one is configured
    (remote) and answers, else this kiosk's cached snapshots, else the seed files the embedded
    platform serves — so it works offline in a fresh checkout."""
    import json
    import logging

    from central.contract import Catalog, KnowledgeEntry
    from kiosk.knowledge import KnowledgeBase

    logging.basicConfig(level=logging.ERROR)  # stdout is for the answer; seed quirks are noise
    catalog: Catalog | None = None
    entries: list[KnowledgeEntry] = []
    if settings.platform.mode == "remote":
        from kiosk.platform_client import PlatformClient, PlatformError, TerminalCredentials
        from offline_cache.catalog_snapshot import CatalogSnapshots
        from offline_cache.knowledge_snapshot import KnowledgeSnapshots

        credentials = TerminalCredentials(settings.terminal.id, settings.terminal.key)
        try:
            with PlatformClient(settings.platform.url, timeout_s=3.0, retries=0,
                                credentials=credentials) as client:
                catalog = client.get_catalog().catalog
                snapshot, _etag = client.get_knowledge()
                entries = snapshot.entries if snapshot else []
        except PlatformError:
            cached = CatalogSnapshots(settings.data_dir / "offline_cache.sqlite3").latest()
            known = KnowledgeSnapshots(settings.data_dir / "knowledge.sqlite3").latest()
            catalog = cached.snapshot if cached else None
            entries = known.snapshot.entries if known else []
    if catalog is None:
        from central.knowledge import seed_snapshot

        catalog, seeded = seed_snapshot()
        entries = seeded.entries
    result = KnowledgeBase.from_catalog(catalog, entries).ask(question, limit)
    rows = [{"service_id": h.service_id, "name": h.name, "score": h.score, "answer": h.answer,
             "kind": result.kind} for h in result.hits]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        print(f"{result.kind}: {result.question}")
        for n, row in enumerate(rows, 1):
            print(f"{n}. {row['service_id']} {row['name']} ({row['score']:.2f}) {row['answer']}")
    return 0


def update_translations() -> int:
    sources = [str(p.relative_to(PROJECT_ROOT)) for folder in ("ui", "flows", "kiosk", "devices")
               for p in sorted((PROJECT_ROOT / folder).rglob("*.py"))]
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    return subprocess.call([str(lupdate), *sources, "-no-obsolete", "-locations", "none",
                            "-ts", "ui/translations/kiosk_en.ts"], cwd=PROJECT_ROOT)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "translations":
        return update_translations()
    if args.command == "decode":
        return decode_images(args.images, args.json)
    if args.command == "document":
        return straighten_document(args.image, args.out, args.json, args.mode)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    if args.command == "ask":
        return ask_question(settings, args.question, args.json, args.limit)
    if args.command == "central":
        from central.app import DevelopmentOnly
        from central.server import serve

        database_url = args.database_url or standalone_database_url(settings)
        if args.central_command is not None:
            return central_admin(args, database_url)
        try:
            serve(database_url, args.host, args.port, development=args.development)
        except DevelopmentOnly as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return 0
    if args.command == "screenshot":
        return screenshot(settings, args.out, args.portrait)
    if args.command == "selftest":
        return selftest(settings)
    if args.command == "staff-pin":
        return set_staff_pin(settings, args.pin_stdin)
    if args.command == "devices":
        return check_devices(settings, args.family, args.json, args.wait, args.lang)
    return run_kiosk(settings, args.windowed)


if __name__ == "__main__":
    sys.exit(main())

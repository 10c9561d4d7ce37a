"""Entry point: `python main.py` runs the kiosk demo; subcommands run the rest.

    python main.py [--config FILE] [run] [--windowed]   the kiosk (default)
    python main.py [--config FILE] central [--host H] [--port P]   the platform alone
    python main.py [--config FILE] central add-terminal --hall NAME   register a terminal
    python main.py [--config FILE] central add-user --role ROLE [--hall NAME]   a console user
    python main.py [--config FILE] central set-status NUMBER STATUS [--note TEXT]   办件 status
    python main.py [--config FILE] screenshot --out DIR   main screens to PNG, offscreen
    python main.py [--config FILE] selftest              every device's health; 1 if any is not ok
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
from collections.abc import Iterator
from pathlib import Path

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
    for sub in (add_terminal, add_user, set_status):
        sub.add_argument("--database-url", default=argparse.SUPPRESS,
                         help="SQLAlchemy URL (default: as for central)")
    shot = commands.add_parser("screenshot", help="render the main screens to PNG offscreen")
    shot.add_argument("--out", type=Path, required=True)
    commands.add_parser("selftest", help="print every device's health")
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
    if settings.platform.mode == "remote":
        yield settings.platform.url
        return
    from central.app import KnownTerminal
    from central.server import EmbeddedPlatform

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    terminal = settings.terminal
    platform = EmbeddedPlatform(central_database_url(settings),
                                port=settings.platform.embedded_port,
                                terminals=[KnownTerminal(terminal.id, terminal.hall, terminal.key)],
                                demo=True)
    platform.start()
    try:
        yield platform.base_url
    finally:
        platform.stop()


def run_kiosk(settings: Settings, windowed: bool) -> int:
    from kiosk.logging_setup import configure_logging
    from kiosk.telemetry import RESTART_EXIT_CODE
    from kiosk.terminal import build_terminal
    from ui.app import run

    configure_logging(settings.data_dir, settings.logging.level)
    with platform_url(settings) as url:
        code = run(build_terminal(settings, url), windowed)
    if code == RESTART_EXIT_CODE:  # the platform asked for a restart: start afresh
        os.execv(sys.executable, [sys.executable, *sys.argv])
    return code


def screenshot(settings: Settings, out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync

    from kiosk.terminal import build_terminal
    from ui.app import Kiosk, application
    from ui.screenshot import take_screenshots

    app = application()
    loop = qasync.QEventLoop(app)
    with platform_url(settings) as url, loop:
        kiosk = Kiosk(build_terminal(settings, url), app)
        for path in loop.run_until_complete(take_screenshots(kiosk, out)):
            print(path)
    return 0


def central_admin(args: argparse.Namespace, database_url: str) -> int:
    """`central add-terminal` and `central add-user`: print what the installer must keep."""
    if args.central_command == "set-status":
        return set_application_status(args, database_url)
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


def _check_once(device) -> object:
    """A real driver checks its device once without starting its worker (`probe` for readers
    and cameras, `check` for printers and speech); a simulator just says how it is."""
    for name in ("probe", "check"):
        if callable(method := getattr(device, name, None)):
            return method()
    return device.health()


def selftest(settings: Settings) -> int:
    from devices.registry import build_devices

    devices = build_devices(settings.devices)
    report = {family: _check_once(device) for family, device in devices.by_family.items()}
    for family, health in report.items():
        detail = f"  {health.detail}" if health.detail else ""
        print(f"{family:<16} {health.state.value:<9} {health.code}{detail}")
    return 0 if all(health.ok for health in report.values()) else 1


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
        return screenshot(settings, args.out)
    if args.command == "selftest":
        return selftest(settings)
    return run_kiosk(settings, args.windowed)


if __name__ == "__main__":
    sys.exit(main())

"""A CUPS of the tests' own with the cups-pdf virtual printer, isolated from the machine's.

- cupsd runs from a fresh directory under /tmp with its own cupsd.conf and cups-files.conf
  (ServerRoot, spool, cache, state, logs all inside it) and listens only on a free port of
  127.0.0.1 and on a unix socket in that directory; it shares no state with a system CUPS.
- cups-pdf reads its configuration from the fixed path /etc/cups/cups-pdf.conf. So cupsd is
  started in a private mount namespace (`unshare -m`) where our directory is bind-mounted over
  /etc/cups: its cups-pdf sees our cups-pdf.conf, whose output directory is under our /tmp
  directory, and nothing outside the namespace sees any of it. Where no mount namespace can be
  made (not root, or a sandbox forbids it) the tests are skipped with the reason: we never
  write into the real /etc/cups.
- Its ServerBin is a directory of links to the system's filters and backends plus the test
  backends `paper_tray/kiosk-tray` (a printer whose tray runs empty mid-job on demand) and
  `paper_tray/kiosk-socket` (CUPS's socket backend in shape, to the fake AppSocket printer).
- Its default policy lets anyone do anything from 127.0.0.1; the policy `locked` (a queue's
  printer-op-policy) keeps starting a queue to authenticated administrators, as a stock
  cupsd.conf keeps Resume-Printer and CUPS-Accept-Jobs to @SYSTEM (an IP rule would not do:
  cupsd always lets localhost through those).
- cupsd runs in a new session, with a parent-death signal, and is killed with its whole process
  group when the tests end (or if the test process dies), so nothing is left behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

QUEUE = "KioskA4"
TEST_BACKENDS = tuple(Path(__file__).with_name("paper_tray") / name
                      for name in ("kiosk-tray", "kiosk-socket"))
PPD_FILES = ("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd",
             "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")


class CupsUnavailable(Exception):
    """What is missing for a CUPS of our own; the tests are skipped with this reason."""


@dataclass
class CupsServer:
    root: Path
    port: int
    process: subprocess.Popen
    queue: str = QUEUE

    @property
    def uri(self) -> str:
        return f"ipp://127.0.0.1:{self.port}/printers/{self.queue}"

    @property
    def pdf_dir(self) -> Path:
        return self.root / "pdf"

    def pdfs(self) -> list[Path]:
        found = []
        for path in self.pdf_dir.rglob("*.pdf"):
            with contextlib.suppress(OSError):  # renamed or removed since the listing
                found.append((path.stat().st_mtime, path))
        return [path for _mtime, path in sorted(found)]

    def finished_pdf(self, wanted: Callable[[Path], bool], timeout_s: float = 60) -> Path:
        """The one PDF `wanted` picks out, once cups-pdf has written it to the end (its last
        bytes are the %%EOF marker): the file can show up, and grow, after CUPS has reported
        the job done. The deadline only bounds a failure."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = [path for path in self.pdfs() if wanted(path)]
            assert len(found) <= 1, f"more than one PDF: {found}"
            if found and _written_to_the_end(found[0]):
                return found[0]
            if time.monotonic() > deadline:
                raise AssertionError(f"no finished PDF within {timeout_s} s: {found} "
                                     f"{self.pdfs()} {self.error_log()}")
            time.sleep(0.1)

    def error_log(self) -> str:
        with contextlib.suppress(OSError):
            return (self.root / "log" / "error_log").read_text(errors="replace")[-4000:]
        return ""

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        # filters or backends that outlived cupsd in its process group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)


def _written_to_the_end(path: Path) -> bool:
    try:
        with path.open("rb") as pdf:
            pdf.seek(0, os.SEEK_END)
            pdf.seek(max(0, pdf.tell() - 64))
            return pdf.read().rstrip().endswith(b"%%EOF")
    except OSError:  # renamed into place meanwhile
        return False


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "a CUPS of our own with cups-pdf needs root (cups-pdf runs as root under cupsd)"
    for tool in ("cupsd", "lpadmin", "unshare", "setpriv"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            return f"{tool} is not installed (apt: cups, cups-client, util-linux)"
    if not Path("/usr/lib/cups/backend/cups-pdf").exists():
        return "the cups-pdf backend is not installed (apt: printer-driver-cups-pdf)"
    if not any(Path(ppd).exists() for ppd in PPD_FILES):
        return "no cups-pdf PPD found"
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"no private mount namespace for cups-pdf's config: {probe.stderr.strip()}"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def remove_stale_directories(max_age_s: float = 600) -> None:
    """Directories of earlier runs that were killed before they could clean up (cupsd itself
    died with them, by its parent-death signal)."""
    for root in Path(tempfile.gettempdir()).glob("kiosk-cups-*"):
        try:
            if time.time() - root.stat().st_mtime < max_age_s:
                continue
            pid = int((root / "run" / "cupsd.pid").read_text().strip() or 0)
        except (OSError, ValueError):
            pid = 0
        if pid and Path(f"/proc/{pid}").exists():
            continue
        shutil.rmtree(root, ignore_errors=True)


def start_cups() -> CupsServer:
    if reason := _missing():
        raise CupsUnavailable(reason)
    remove_stale_directories()
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
    root.chmod(0o755)  # filters run as lp and must reach the spool
    for name in ("etc", "etc/ppd", "spool", "spool/tmp", "cache", "run", "log", "pdf",
                 "cups-pdf-spool"):
        (root / name).mkdir(exist_ok=True)
    (root / "pdf").chmod(0o777)
    server_bin = _server_bin(root)
    (root / "cups-pdf-spool").chmod(0o1777)
    port = _free_port()
    etc = root / "etc"
    (etc / "cupsd.conf").write_text(
        f"""LogLevel info
Listen 127.0.0.1:{port}
Listen {root}/cups.sock
Browsing No
WebInterface No
DefaultAuthType None
MaxJobs 200
PreserveJobHistory Yes
PreserveJobFiles No
<Location />
  Order allow,deny
  Allow from 127.0.0.1
  Allow from @LOCAL
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
<Policy locked>
  <Limit Resume-Printer Enable-Printer CUPS-Accept-Jobs>
    AuthType Basic
    Require user @SYSTEM
    Order deny,allow
  </Limit>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
""")
    (etc / "cups-files.conf").write_text(
        f"""ServerRoot {etc}
RequestRoot {root}/spool
TempDir {root}/spool/tmp
CacheDir {root}/cache
StateDir {root}/run
ServerBin {server_bin}
DataDir /usr/share/cups
AccessLog {root}/log/access_log
ErrorLog {root}/log/error_log
PageLog {root}/log/page_log
User lp
Group lp
SystemGroup root
FileDevice No
Printcap {root}/printcap
""")
    (etc / "cups-pdf.conf").write_text(
        f"""Out {root}/pdf
AnonDirName {root}/pdf
Spool {root}/cups-pdf-spool
Log {root}/log
AnonUMask 0022
UserUMask 0022
Grp root
Label 0
TitlePref 0
DecodeHexStrings 1
GSTmp {root}/cups-pdf-spool
""")
    shell = (f'mount --bind "{etc}" /etc/cups && exec /usr/sbin/cupsd -f '
             f'-c "{etc}/cupsd.conf" -s "{etc}/cups-files.conf"')
    process = subprocess.Popen(
        # setpriv --pdeathsig: if the test process dies, cupsd dies with it
        ["setpriv", "--pdeathsig", "KILL", "unshare", "-m", "--propagation", "private",
         "sh", "-c", shell],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    server = CupsServer(root, port, process)
    try:
        _wait_for_port(port, process)
        ppd = next(ppd for ppd in PPD_FILES if Path(ppd).exists())
        subprocess.run(
            ["lpadmin", "-h", f"127.0.0.1:{port}", "-p", QUEUE, "-E", "-v", "cups-pdf:/",
             "-P", ppd, "-o", "PageSize=A4", "-o", "printer-error-policy=abort-job"],
            check=True, capture_output=True, text=True, timeout=20,
        )
    except BaseException as exc:
        log = server.error_log()
        server.stop()
        if isinstance(exc, subprocess.CalledProcessError):
            raise CupsUnavailable(f"lpadmin failed: {exc.stderr.strip()} {log}") from None
        raise
    return server


def _server_bin(root: Path) -> Path:
    """/usr/lib/cups by links, with the test backend added to its backends."""
    server_bin = root / "serverbin"
    (server_bin / "backend").mkdir(parents=True)
    for entry in Path("/usr/lib/cups").iterdir():
        if entry.name != "backend":
            (server_bin / entry.name).symlink_to(entry)
    for backend in Path("/usr/lib/cups/backend").iterdir():
        (server_bin / "backend" / backend.name).symlink_to(backend)
    # a copy, not a link: cupsd runs only programs owned by root that no one else may change
    for source in TEST_BACKENDS:
        backend = server_bin / "backend" / source.name
        shutil.copyfile(source, backend)
        backend.chmod(0o755)
    for directory in (server_bin, server_bin / "backend"):
        directory.chmod(0o755)
    return server_bin


def _wait_for_port(port: int, process: subprocess.Popen, timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise CupsUnavailable(f"cupsd exited with {process.returncode}: {err.strip()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise CupsUnavailable("cupsd did not start listening")

"""A file replaced whole: a process killed while writing leaves the old content or the new."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from common.atomic_file import replace_atomically

WRITER = """
import json, sys
from pathlib import Path
from common.atomic_file import replace_atomically
path = Path(sys.argv[1])
n = 0
while True:
    n += 1
    # large enough that a write is many syscalls: a kill lands inside one
    replace_atomically(path, json.dumps({"n": n, "pad": "x" * 200_000}).encode())
    if n == 3:
        print("writing", flush=True)
"""


def test_a_writer_killed_mid_write_leaves_a_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    replace_atomically(path, json.dumps({"n": 0, "pad": ""}).encode())
    for _ in range(5):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                                  stdout=subprocess.PIPE, cwd=Path(__file__).parents[2])
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"writing\n"  # it is in its loop of writes
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        record = json.loads(path.read_text())  # whole: never cut
        assert record["n"] >= 3


def test_the_file_is_the_kiosks_own_and_a_crash_leftover_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "pin.json"
    (tmp_path / ".pin.json.tmp").write_text("half")  # what a crash mid-write leaves
    replace_atomically(path, b'{"hash": "new"}')
    assert json.loads(path.read_text()) == {"hash": "new"}
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pin.json"]

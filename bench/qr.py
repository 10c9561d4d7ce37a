"""Which code reader, measured: decode rate, median and worst milliseconds per 1080p frame.

    .venv/bin/python bench/qr.py [--frames 200] [--seed 1000] [--wechat-limit-s 2]

Generates the corpus from a seed (`devices.codes.synthetic`: blur, rotation, perspective,
noise, glare, low contrast, small codes, Chinese payloads, 1D barcodes) and runs every decoder
on every frame, then the pipeline the kiosk uses (`devices.codes.pipeline.read_codes`).
"decoded" counts frames whose expected text was read; "wrong" frames where something else was
read instead. OpenCV's WeChat detector (no CNN files) runs in a child process that is killed
at the limit, since it can take seconds on a noisy frame; such frames count as missed at the
limit. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2

from devices.codes.decoders import DECODERS
from devices.codes.pipeline import read_codes
from devices.codes.synthetic import make_scene


def _score(codes, scene) -> str:
    if any(code.text == scene.text for code in codes):
        return "ok"
    return "wrong" if codes else "miss"


def _wechat_child(conn, seed_base: int) -> None:
    decoder = DECODERS["opencv-wechat"]
    while True:
        index = conn.recv()
        if index is None:
            return
        scene = make_scene(seed_base + index)
        grey = cv2.cvtColor(scene.image, cv2.COLOR_BGR2GRAY)
        start = time.perf_counter()
        codes = decoder(grey)
        conn.send((time.perf_counter() - start, [c.text for c in codes]))


class AbandonableWechat:
    """The WeChat detector in a child process; a frame over the limit kills the child."""

    def __init__(self, seed_base: int, limit_s: float) -> None:
        self.seed_base, self.limit_s = seed_base, limit_s
        self.ctx = multiprocessing.get_context("fork")
        self._spawn()

    def _spawn(self) -> None:
        self.conn, child = self.ctx.Pipe()
        self.process = self.ctx.Process(target=_wechat_child, args=(child, self.seed_base),
                                        daemon=True)
        self.process.start()

    def decode(self, index: int) -> tuple[float, list[str] | None]:
        self.conn.send(index)
        if self.conn.poll(self.limit_s + 2.0):  # + the child's time to generate the frame
            return self.conn.recv()
        self.process.kill()
        self.process.join()
        self._spawn()
        return self.limit_s, None

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(timeout=2)


def row(name: str, results: list[tuple[str, float]], frames: int, note: str = "") -> str:
    ms = [t * 1000 for _, t in results]
    ok = sum(outcome == "ok" for outcome, _ in results)
    wrong = sum(outcome == "wrong" for outcome, _ in results)
    p95 = sorted(ms)[int(0.95 * (len(ms) - 1))]
    return (f"| {name:<22} | {ok / frames:6.1%} | {wrong:5d} | {statistics.median(ms):7.1f} | "
            f"{p95:7.1f} | {max(ms):8.1f} |{note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--wechat-limit-s", type=float, default=2.0)
    parser.add_argument("--skip-wechat", action="store_true")
    args = parser.parse_args()

    print(f"Generating {args.frames} frames at 1920x1080 from seed {args.seed} ...", flush=True)
    scenes = [make_scene(args.seed + i) for i in range(args.frames)]
    greys = [cv2.cvtColor(s.image, cv2.COLOR_BGR2GRAY) for s in scenes]
    kinds = collections.Counter(s.format for s in scenes)
    conditions = collections.Counter(c for s in scenes for c in s.conditions)
    chinese = sum(any("\u4e00" <= ch <= "\u9fff" for ch in s.text) for s in scenes)
    print(f"formats: {dict(kinds)}; Chinese payloads: {chinese}")
    print(f"conditions: {dict(conditions)}\n")

    header = ("| decoder                | decoded | wrong | med ms  | p95 ms  | worst ms |\n"
              "|---|---|---|---|---|---|")
    print(header, flush=True)
    rows: dict[str, list[tuple[str, float]]] = {}
    for name, decoder in DECODERS.items():
        if name == "opencv-wechat":
            continue
        results = []
        for scene, grey in zip(scenes, greys, strict=True):
            start = time.perf_counter()
            codes = decoder(grey)
            results.append((_score(codes, scene), time.perf_counter() - start))
        rows[name] = results
        print(row(name, results, args.frames), flush=True)

    if not args.skip_wechat:
        wechat = AbandonableWechat(args.seed, args.wechat_limit_s)
        results, killed = [], 0
        for index, scene in enumerate(scenes):
            elapsed, texts = wechat.decode(index)
            if texts is None:
                killed += 1
                results.append(("miss", elapsed))
            else:
                found = scene.text in texts
                results.append(("ok" if found else ("wrong" if texts else "miss"), elapsed))
        wechat.close()
        note = f" {killed} frame(s) abandoned at {args.wechat_limit_s:g} s" if killed else ""
        print(row("opencv-wechat (no CNN)", results, args.frames, note), flush=True)

    results = []
    misses = collections.Counter()
    for scene in scenes:
        start = time.perf_counter()
        codes = read_codes(scene.image)  # from BGR, as the camera delivers it
        outcome = _score(codes, scene)
        results.append((outcome, time.perf_counter() - start))
        if outcome != "ok":
            misses.update((*scene.conditions, scene.format))
    rows["pipeline"] = results
    print(row("pipeline (chosen)", results, args.frames), flush=True)

    print("\nPipeline misses by condition (a frame has several):",
          dict(misses.most_common()) or "none")
    per_kind = collections.Counter()
    for scene, (outcome, _) in zip(scenes, results, strict=True):
        per_kind[scene.format] += outcome == "ok"
    print("Pipeline decoded by format:",
          {k: f"{per_kind[k]}/{kinds[k]}" for k in kinds})
    print("\nGoals: more than the best single decoder, median < 100 ms, no frame > 500 ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

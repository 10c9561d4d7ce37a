"""How well the document finder finds the page, per surface it lies on, and how fast.

    .venv/bin/python bench/document.py [--scenes 100] [--seed 1000] [--width 1280]

Generates `--scenes` photographs per surface from consecutive seeds (`devices.camera.scenes`:
the textured desk, and a document camera's own pad, dark, light grey, white or pale blue, with
pale paper and cards, glare, shadows and fingers), runs `find_document` on each and prints a
markdown row per surface: the share whose four corners are all within 2 % of the document's
diagonal, how many found nothing and how many found a wrong outline, and milliseconds per
frame (median, 95th percentile; one thread, on whatever else the machine runs). A last row is
white paper on a white pad of the same white under flat light, which nothing can see: there
it counts frames with no outline and frames that ask for a dark pad (`print_without_outline`).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np

from devices.camera import document
from devices.camera.scenes import SURFACES, make_document_scene

cv2.setNumThreads(1)  # as in the kiosk's detection child process


def corner_error(found: np.ndarray, truth: np.ndarray) -> float:
    diagonal = float(np.hypot(*(truth[2] - truth[0])))
    return float(np.max(np.hypot(*(found - truth).T))) / diagonal


def _percentile(values: list[float], share: float) -> float:
    return float(np.percentile(values, share)) if values else 0.0


def surface_row(surface: str, seeds: range, width: int) -> str:
    within = missed = wrong = 0
    times: list[float] = []
    for seed in seeds:
        scene = make_document_scene(seed, width, width * 3 // 4, surface=surface)
        started = time.perf_counter()
        found = document.find_document(scene.image)
        times.append((time.perf_counter() - started) * 1000)
        if found is None:
            missed += 1
        elif corner_error(found.corners, scene.corners) <= 0.02:
            within += 1
        else:
            wrong += 1
    n = len(seeds)
    return (f"| {surface} | {n} | {within / n:.0%} | {missed} | {wrong} | "
            f"{statistics.median(times):.0f} | {_percentile(times, 95):.0f} |")


def blank_row(seeds: range, width: int) -> str:
    from devices.camera.scenes import make_blank_on_white_scene

    advise = getattr(document, "print_without_outline", None)
    nothing = advised = 0
    times: list[float] = []
    for seed in seeds:
        image = make_blank_on_white_scene(seed, width, width * 3 // 4).image
        started = time.perf_counter()
        found = document.find_document(image)
        times.append((time.perf_counter() - started) * 1000)
        if found is None:
            nothing += 1
            if advise is not None and advise(image):
                advised += 1
    n = len(seeds)
    return (f"| white on white, flat light | {n} | no outline {nothing / n:.0%}, "
            f"asks for a dark pad {advised / n:.0%} | {nothing} | {n - nothing} | "
            f"{statistics.median(times):.0f} | {_percentile(times, 95):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description="document finder accuracy per surface")
    parser.add_argument("--scenes", type=int, default=100, help="scenes per surface")
    parser.add_argument("--seed", type=int, default=1000, help="first seed")
    parser.add_argument("--width", type=int, default=1280, help="frame width (4:3)")
    args = parser.parse_args()
    seeds = range(args.seed, args.seed + args.scenes)
    print("| surface | scenes | corners within 2 % | nothing found | wrong outline "
          "| median ms | p95 ms |")
    print("|---|---|---|---|---|---|---|")
    for surface in SURFACES:
        print(surface_row(surface, seeds, args.width), flush=True)
    print(blank_row(seeds, args.width), flush=True)


if __name__ == "__main__":
    main()

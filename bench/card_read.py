"""How long from an ID card placed on the reader to its identity in the kiosk's hands?

Runs the real driver (`Ga467Reader`) over a pty against the SAM emulator, which paces every
byte at the line rate of the baud (10 bits a byte) and answers at once otherwise (a real SAM
adds its own time to talk to the card; that is not ours to measure). Each run places a card at
a random moment, waits for `CardPresent` on an asyncio loop (as the kiosk receives it), then
takes the card away a few polls later. Three figures per run:

- "from placement": card placed → `CardPresent` delivered. Includes waiting for the next poll,
  so it is dominated by the poll interval (0.3 s floor): what a citizen waits for.
- "from find-card hit": the SAM receiving the find-card request that found the card →
  `CardPresent` delivered: find, select and read on the wire, decoding, and the hand-over to
  the loop. This is the driver's own cost.
- "card taken away → CardRemoved": how long a card that has left still counts as present (two
  confirmed misses: find, select and a read each failing), under `--after-read`, the SAM's
  find-card-after-read behaviour. Goal: under a second.

Next to them, the wire time of the bytes of those four exchanges (find, select, text + photo,
appended address; requests + answers × 10 bits / baud), the floor no driver can beat at that
baud. Goal: the find-card hit figure at most 1.5×
the wire time.

    .venv/bin/python bench/card_read.py [--runs 20] [--baud 115200] [--after-read MODE]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devices.cards import CardPresent, CardRemoved
from devices.idcard.frame import Command
from devices.idcard.reader import Ga467Reader
from devices.idcard.sam_emulator import AfterRead, SamEmulator
from devices.idcard.simulator import sample_cards

CYCLE = (Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_AND_PHOTO,
         Command.READ_APPENDED_ADDRESS)


async def one_run(sam: SamEmulator, reader: Ga467Reader, rng: random.Random
                  ) -> tuple[float, float, float, int, float]:
    await asyncio.sleep(rng.uniform(0.0, reader.poll_interval))  # any phase against the polls
    sam.insert(sample_cards()["resident"])
    event = await asyncio.wait_for(reader.events.next(), 5)
    delivered = time.monotonic()
    assert isinstance(event, CardPresent), event
    placed, found = sam.card_placed_at, sam.card_found_at
    assert placed is not None and found is not None
    cycle = [e for e in sam.exchanges
             if found <= e.received_at <= delivered and e.command in CYCLE][:len(CYCLE)]
    assert [e.command for e in cycle] == list(CYCLE), "a retry or a fault spoilt this run"
    wire_bytes = sum(e.request_bytes + e.answer_bytes for e in cycle)
    # the card stays a few polls (any find-card-after-read behaviour), then is taken away
    await asyncio.sleep(rng.uniform(3, 5) * reader.poll_interval)
    sam.remove()
    removed = time.monotonic()
    assert isinstance(await asyncio.wait_for(reader.events.next(), 5), CardRemoved)
    return (delivered - placed, delivered - found, wire_bytes * 10 / sam.baud, wire_bytes,
            time.monotonic() - removed)


async def bench(runs: int, baud: int, after_read: AfterRead
                ) -> list[tuple[float, float, float, int, float]]:
    sam = SamEmulator(baud=baud, after_read=after_read)
    reader = Ga467Reader(sam.on_pty(), baud)
    reader.events.bind(asyncio.get_running_loop())
    reader.start()
    rng = random.Random(467)
    try:
        await asyncio.sleep(0.5)  # port opened, first polls done
        return [await one_run(sam, reader, rng) for _ in range(runs)]
    finally:
        reader.stop()
        sam.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--after-read", choices=[mode.value for mode in AfterRead],
                        default=AfterRead.KEEPS_FOUND.value,
                        help="what the SAM answers to find-card about a card it has read")
    args = parser.parse_args()
    results = asyncio.run(bench(args.runs, args.baud, AfterRead(args.after_read)))
    from_placement = [r[0] * 1000 for r in results]
    from_hit = [r[1] * 1000 for r in results]
    wire = results[0][2] * 1000
    ratios = [hit / wire for hit in from_hit]

    print(f"ID card placed → identity ready, {args.runs} runs at {args.baud} baud "
          f"(emulator paces bytes at the line rate; poll interval 0.3 s; "
          f"find after a read: {args.after_read})")
    print(f"{'':36}{'median':>10}{'max':>10}")
    print(f"{'from placement (incl. poll wait)':36}{statistics.median(from_placement):>8.1f}ms"
          f"{max(from_placement):>8.1f}ms")
    print(f"{'from find-card hit':36}{statistics.median(from_hit):>8.1f}ms{max(from_hit):>8.1f}ms")
    print(f"{f'wire time ({results[0][3]} bytes)':36}{wire:>8.1f}ms")
    print(f"{'find-card hit / wire time':36}{statistics.median(ratios):>9.2f}x"
          f"{max(ratios):>9.2f}x   goal: at most 1.50x")
    removal = [r[4] * 1000 for r in results]
    print(f"{'card taken away → CardRemoved':36}{statistics.median(removal):>8.1f}ms"
          f"{max(removal):>8.1f}ms   goal: under 1000 ms")


if __name__ == "__main__":
    main()

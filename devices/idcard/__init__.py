"""ID-card readers (居民身份证, and the HMT residence permit that shares its layout).

- `frame`: the GA 467 frame, pure encode/decode over bytes;
- `card_text`: the card's 256-byte text block to `IdCardData` (and back, for emulators), and
  the newest appended address (30 03) that replaces the printed one;
- `sam_id`: the SAM's number as SDKs print it;
- `links`: the lines a SAM is reached over: a serial port, or USB HID reports (same frames);
- `poll_clock`: the clock the reader's polls keep time by (tests move their own);
- `reader`: `Ga467Reader`, the real driver (worker thread, health, `describe()`, `sam_id`);
- `description`: `ReaderDescription`, what a reader says about itself for checks and audits;
- `simulator`: `IdCardSimulator`, the same port with no line at all (demo, flow tests);
- `sam_model`: what a SAM answers, from public SDKs and firmware (cited there);
- `sam_emulator`: that SAM on the far end of a pty or a HID socket, for tests and benchmarks.

Importing the package imports nothing heavy; take what you need from its modules.
"""

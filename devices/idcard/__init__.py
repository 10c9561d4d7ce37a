"""ID-card readers (居民身份证, and the HMT residence permit that shares its layout).

- `frame`: the GA 467 serial frame, pure encode/decode over bytes;
- `card_text`: the card's 256-byte text block to `IdCardData`, and back for emulators;
- `reader`: `Ga467Reader`, the real driver on a serial port (worker thread, health);
- `simulator`: `IdCardSimulator`, the same port with no serial at all (demo, flow tests);
- `sam_emulator`: a SAM on the far end of a pty, for driver tests and benchmarks.

Importing the package imports nothing heavy; take what you need from its modules.
"""

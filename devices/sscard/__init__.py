"""Social-security card (社会保障卡) reader family.

- `reader.PcscSsCardReader`: the real driver, PC/SC through pyscard, a worker thread that
  survives pcscd restarts and unplugged readers;
- `simulator.SsCardSimulator`: the same `CardReader` port without PC/SC, for the demo's panel and
  flow tests;
- `application.read_ss_card`: the command sequence (SELECT SSSE, EF05, access step, EF06) over any
  `transmit`, built from `apdu` (T=0 exchange rules), `tlv` and `records` (what each record holds);
- `access`: the step a card may want before EF06 (none, PIN, external authentication);
- `errors`: every failure as one `SsCardError` hierarchy with codes and citizen messages;
- `emulator.EmulatedSsCard` and `vpcd.VpcdCard`: a card in software behind a real pcscd;
- `samples.sample_card`: a fictional holder for the demo and tests.

Submodules are imported where needed, so the simulator works without pyscard installed.
"""

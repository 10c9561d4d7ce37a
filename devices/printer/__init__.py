"""Printing: the receipt printer (ESC/POS on 80 mm paper) and the A4 printer (Qt → CUPS or PDF).

`receipt.py` is the typed receipt and its line layout, `profiles.toml`/`profiles.py` the receipt
printer models as data (encoding, columns, QR, cutter, status bits), `escpos.py` the command
language as pure functions over bytes, `raster.py` the bitmaps of lines and QR codes a model
prints as images, `transports.py` the thin links (network, serial, USB, file),
`receipt_printer.py` the real driver, `preview.py` the 80 mm PNG, `a4.py` the A4 documents,
`ipp.py` the CUPS client, `a4_printer.py` the A4 drivers, `simulated.py` the simulators and
`result.py` what every print returns: a value carrying the printer's status, never an exception
for an expected fault such as paper out.
"""

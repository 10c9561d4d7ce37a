"""QR codes and barcodes: reading them from camera frames, serial and keyboard-wedge scanners,
and making their untrusted payloads safe to hand on."""

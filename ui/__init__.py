"""The PySide6 shell: renders flow steps as screens and forwards the person's input."""

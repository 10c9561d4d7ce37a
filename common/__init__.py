"""The bottom layer of the kiosk side: what every layer needs and nothing project-specific
above it imports back (docs/ARCHITECTURE.md). It imports nothing of the project."""

"""Alembic migrations of the platform database (run by `central.migrate`)."""

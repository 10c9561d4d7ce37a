"""The kiosk's local SQLite store: what it needs to keep serving when the platform is away.

`catalog_snapshot` keeps the last service catalogs fetched (and `knowledge_snapshot` the last
knowledge bases, both in a `snapshot_store`), so the kiosk can start and serve
offline and say how old the data is. The outbox of writes, encryption of personal data at rest
and the sync worker live here too.
"""

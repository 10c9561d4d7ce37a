"""The HTTP routes of /api/v1, one module per area of the API."""

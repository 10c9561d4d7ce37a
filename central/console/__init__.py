"""The hall-manager web console at /console: server-rendered pages, htmx for the live parts,
ECharts for the charts (both vendored under `central/static/vendor`, never from a CDN)."""

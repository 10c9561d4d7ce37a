"""The reference central government-service platform (政务服务中心平台).

A FastAPI program of its own: the kiosk side imports only `central.contract` from here, and
talks to the rest over HTTP (`central.server.EmbeddedPlatform` runs it in-process for demos).
"""

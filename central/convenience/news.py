"""Hall notices and policy news from an RSS 2.0 feed (RSS Advisory Board's specification,
https://www.rssboard.org/rss-specification): `<rss version="2.0"><channel><item>` with each
item's `<title>` and `<pubDate>` (RFC 822 dates). Government sites publish their notices so;
the tile's `place` is the feed's address.

The answer is untrusted XML: capped in size, and refused if it declares a DOCTYPE or
entities (the way to an entity-expansion bomb), before the parser sees it.
"""

from __future__ import annotations

import ipaddress
import xml.etree.ElementTree as ElementTree
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from central.contract.convenience import InfoLine
from central.convenience.third_party import ThirdPartyFault, fetch

MAX_ITEMS = 10


class RssNews:
    attribution = "政务公开"

    def __init__(self, allowed_prefixes: tuple[str, ...] = ("https://",)) -> None:
        # a feed's address comes from the console: only where the platform may go
        self._allowed = allowed_prefixes

    def lines(self, place: str, timeout_s: float) -> list[InfoLine]:
        if not self.allowed(place):
            raise ThirdPartyFault("down", "feed address not allowed")
        body = fetch("GET", place, timeout_s=timeout_s)
        if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
            raise ThirdPartyFault("nonsense", "a DOCTYPE or entity in the feed")
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError:
            raise ThirdPartyFault("nonsense", "not XML") from None
        if root.tag != "rss" or root.find("channel") is None:
            raise ThirdPartyFault("nonsense", "not an RSS 2.0 feed")
        lines = []
        for item in root.iterfind("channel/item"):
            title = " ".join((item.findtext("title") or "").split())[:200]
            if title:
                lines.append(InfoLine(label=_day(item.findtext("pubDate") or ""), value=title))
            if len(lines) == MAX_ITEMS:
                break
        return lines


    def allowed(self, place: str) -> bool:
        """An address under an allowed prefix; with the default (any https address) not one
        that names the platform's own machine or network by number (169.254.169.254 …)."""
        if not place.startswith(self._allowed):
            return False
        if self._allowed != ("https://",):
            return True  # configured prefixes name exactly where feeds are
        host = (urlsplit(place).hostname or "").lower()
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return host not in ("localhost", "") and not host.endswith(".localhost")
        return False


def _day(rfc822: str) -> str:
    try:
        return parsedate_to_datetime(rfc822).strftime("%m-%d")
    except (TypeError, ValueError):
        return ""

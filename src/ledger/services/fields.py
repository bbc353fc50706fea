"""Checks on the fields people type about articles and sources: web addresses and dates."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from ledger.errors import InvalidInput


def check_url(url: str | None) -> str | None:
    """A web address: http(s) with a host, or None when none was given. Anything else (a
    ``javascript:`` link, a phrase) is refused, so exports never carry a link that is not one."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host or any(c.isspace() for c in url):
        raise InvalidInput(f"{url!r} is not a web address; give an http:// or https:// URL")
    return url


def check_not_future(when: date | None, *, field: str) -> date | None:
    if when is not None and when > date.today():
        raise InvalidInput(f"the {field} {when.isoformat()} is in the future")
    return when

"""The address villagers reach the server at, for what is printed: QR codes and sheets. Rule:
outside the demo, nothing printed carries a loopback address (127.0.0.1, localhost), which no
phone can open; the sheet says "not configured" instead, and the operator is told to set it.

`sunlight serve --demo` exports SUNLIGHT_DEMO=1 to its workers: the demo runs on one machine,
where a loopback QR code is the honest one. No other command sets it.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

PUBLIC_URL = "SUNLIGHT_PUBLIC_URL"
DEMO = "SUNLIGHT_DEMO"


def is_demo() -> bool:
    return os.environ.get(DEMO) == "1"


def configured() -> str:
    """SUNLIGHT_PUBLIC_URL as set, or "" when it is not."""
    return os.environ.get(PUBLIC_URL, "").strip()


def is_loopback(url: str) -> bool:
    """Whether the address only reaches this machine (or names no host at all)."""
    host = (urlsplit(url).hostname or "").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def public_url_problem() -> str:
    """What is wrong with the configured public address, or "" when it can be printed."""
    url = configured()
    if not url:
        return f"{PUBLIC_URL} is not set."
    if is_loopback(url):
        return f"{PUBLIC_URL}={url} only reaches this machine."
    return ""


def printable(base: str) -> bool:
    """Whether a QR code or sheet may carry an address under `base`."""
    return is_demo() or not is_loopback(base)

"""Where the stream may be pushed: public addresses only, unless the operator allows a host.

A subscriber's URL is a request the server makes on someone's behalf: pointed at
``169.254.169.254``, ``localhost`` or an office printer, it would carry signed batches (and read
answers) inside the network. So the host is resolved and every address it resolves to must be
public: not private, loopback, link-local, multicast, unspecified or reserved, IPv4 or IPv6
(``::ffff:127.0.0.1`` counts as the IPv4 address it maps). Resolving through the system also
catches odd spellings such as ``0x7f000001`` and ``2130706433``. The check runs when a portal
subscribes and again before each delivery, and the connection itself goes only to addresses
checked at that moment (the push's resolver), so a name that changes its answer between
the check and the connection gains nothing.

``HEIMBOTE_PUSH_ALLOW_HOSTS`` names exceptions: host names (matched as written in the URL),
addresses or networks (``10.0.0.5``, ``fd00::/64``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.domain.errors import InvalidInput

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")
_HINT = "pushing there is refused unless HEIMBOTE_PUSH_ALLOW_HOSTS names it"


class TargetRefused(InvalidInput):
    """The URL's host is, or resolves to, an address the stream is not pushed to."""

    def __init__(self, reason: str) -> None:
        super().__init__("url", reason)


@dataclass(frozen=True)
class AllowList:
    """The operator's exceptions: host names, and addresses or networks."""

    names: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> AllowList:
        """``"portal.lan, 10.0.0.5, fd00::/64"``; raise ``ValueError`` naming a bad entry."""
        names: set[str] = set()
        networks: list[Network] = []
        for entry in filter(None, (part.strip().lower() for part in text.split(","))):
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                if not _HOST_NAME.fullmatch(entry.rstrip(".")):
                    raise ValueError(f"{entry!r} is not a host name or an address") from None
                names.add(entry.rstrip("."))
        return cls(frozenset(names), tuple(networks))

    def allows_name(self, host: str) -> bool:
        """Whether ``host`` (as written in a URL) is named in the list."""
        return host.lower().rstrip(".") in self.names

    def allows_address(self, address: Address) -> bool:
        """Whether ``address`` lies in one of the listed addresses or networks."""
        return any(address in network for network in self.networks
                   if network.version == address.version)


def refusal(address: Address) -> str:
    """Why nothing is pushed to ``address`` ("a loopback address"), or "" when it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for kind, applies in (
        ("an unspecified", address.is_unspecified), ("a loopback", address.is_loopback),
        ("a link-local", address.is_link_local), ("a multicast", address.is_multicast),
        ("a reserved", address.is_reserved), ("a private", address.is_private),
    ):
        if applies:
            return f"{kind} address"
    return "" if address.is_global else "not a public address"


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def checked(host: str, address: Address, allow: AllowList, *, resolved: bool) -> None:
    """Raise :class:`TargetRefused` unless ``address`` (``host``'s, or ``host`` itself)
    is public or allowed."""
    why = "" if allow.allows_address(address) else refusal(address)
    if why:
        shown = f"{host} resolves to {address}, {why}" if resolved else f"{host} is {why}"
        raise TargetRefused(f"{shown}; {_HINT}")


async def check(url: str, allow: AllowList) -> None:
    """Raise :class:`TargetRefused` unless every address ``url``'s host stands for is allowed."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise TargetRefused("has no host")
    if allow.allows_name(host):
        return
    literal = _literal(host)
    if literal is not None:
        checked(host, literal, allow, resolved=False)
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError):
        raise TargetRefused(f"{host} cannot be resolved") from None
    for *_, sockaddr in found:
        checked(host, ipaddress.ip_address(str(sockaddr[0]).split("%")[0]), allow, resolved=True)

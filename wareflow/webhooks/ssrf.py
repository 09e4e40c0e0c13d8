"""Where a webhook may be sent: not into the warehouse's own network (SSRF).

A URL must be ``https``, or ``http`` to a host listed in ``WAREFLOW_WEBHOOK_ALLOWED_HOSTS``; its
host must resolve only to public addresses (no loopback, private, link-local, cloud metadata,
multicast or reserved ones) unless it is listed. The URL is checked when an endpoint is
registered, and again at every delivery: the HTTP client connects through :class:`GuardedBackend`,
which resolves the host itself, refuses a forbidden address and connects to the very address it
checked, so a DNS answer that changes between the check and the connection cannot slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import typing
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
RESOLVE_TIMEOUT = 5.0
MAX_URL_LENGTH = 2048

# Cloud instance-metadata services not already covered by the link-local range.
METADATA = frozenset(ipaddress.ip_address(a) for a in ("fd00:ec2::254", "100.100.100.200", "192.0.0.192"))


class UrlRefused(Exception):
    """The URL may not receive webhooks; ``code`` is machine-readable."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # lower case, without brackets or a trailing dot
    port: int

    def listed(self, allowed_hosts: frozenset[str]) -> bool:
        return self.host in allowed_hosts


def check_url(url: str, allowed_hosts: frozenset[str]) -> Target:
    """The checks that need no network: shape, scheme, and a literal address."""
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused("too_long", f"Use at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UrlRefused("invalid_url", "Not a valid URL.") from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").rstrip(".")
    if scheme not in ("http", "https") or not host or any(c.isspace() for c in url):
        raise UrlRefused("invalid_url", "Use an absolute http(s) URL, e.g. https://example.com/hooks.")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("credentials_in_url", "Leave credentials out of the URL; verify the signature.")
    if parts.fragment:
        raise UrlRefused("invalid_url", "A webhook URL has no #fragment.")
    target = Target(scheme, host, port or (443 if scheme == "https" else 80))
    listed = target.listed(allowed_hosts)
    if scheme == "http" and not listed:
        raise UrlRefused("https_required", "Use https (plain http only for hosts the operator allows).")
    literal = _literal_address(host)
    if literal is not None and not listed:
        _refuse_address(literal)
    return target


async def check_target(url: str, allowed_hosts: frozenset[str]) -> Target:
    """Every check, resolving the host: what registration asks before accepting a URL."""
    target = check_url(url, allowed_hosts)
    addresses = await resolve(target.host, target.port)
    if not target.listed(allowed_hosts):
        for address in addresses:
            _refuse_address(address)
    return target


def refusal(address: IPAddress) -> str | None:
    """Why an address may not be reached (None when it may)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA:
        return "a cloud metadata address"
    for name, flag in (
        ("a loopback address", address.is_loopback),
        ("a link-local address", address.is_link_local),
        ("an unspecified address", address.is_unspecified),
        ("a multicast address", address.is_multicast),
        ("a private address", address.is_private),
        ("a reserved address", address.is_reserved),
    ):
        if flag:
            return name
    return None if address.is_global else "not a public address"


def _refuse_address(address: IPAddress) -> None:
    reason = refusal(address)
    if reason is not None:
        raise UrlRefused("forbidden_address", f"The host resolves to {address}, {reason}.")


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """The host's addresses (the system resolver, off the event loop, with a time limit)."""
    literal = _literal_address(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError, UnicodeError):
        raise UrlRefused("unresolvable_host", f"The host {host!r} does not resolve.") from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise UrlRefused("unresolvable_host", f"The host {host!r} does not resolve.")
    return list(dict.fromkeys(addresses))


class AddressRefused(httpcore.ConnectError):
    """Raised by :class:`GuardedBackend`; httpx reports it as a ConnectError caused by this."""


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving and checking every host before connecting."""

    def __init__(self, allowed_hosts: frozenset[str]):
        self.allowed_hosts = allowed_hosts
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        name = host.lower().rstrip(".").strip("[]")
        try:
            addresses = await resolve(name, port)
            if name not in self.allowed_hosts:
                for address in addresses:
                    _refuse_address(address)
        except UrlRefused as exc:
            raise AddressRefused(exc.message) from None
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("Webhooks are never sent to a unix socket.")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_client(allowed_hosts: frozenset[str], *, connections: int) -> httpx.AsyncClient:
    """An HTTP client that only reaches permitted addresses, ignores proxy variables and never
    follows redirects (a 3xx is a failed delivery)."""
    transport = httpx.AsyncHTTPTransport(
        trust_env=False,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )
    # httpx takes no network backend of its own, so its pool is rebuilt with ours.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=connections,
        max_keepalive_connections=connections,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(allowed_hosts),
    )
    return httpx.AsyncClient(transport=transport, follow_redirects=False, trust_env=False)

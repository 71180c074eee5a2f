"""The one way the wallet fetches anything remote: issuer profiles, DID documents, keys, lists.

`fetch` returns the response for every HTTP status (a 404 or 410 is an answer,
not an error: `FetchResponse.is_gone` tells a withdrawn resource apart) and
raises `FetchError` only when there is no usable answer: the address is refused,
the host cannot be reached, the body is too large or the redirects never end.
`fetch_json` is stricter: anything but a 2xx answer raises `FetchError` with
its `status` set, so callers can still tell 410 from 404 from 503.

Every hop is checked after DNS resolution and the socket is opened to the very
address that was checked, so a DNS answer cannot change between the check and
the connection. Hosts in `settings.FETCH_ALLOWLIST` skip the address check and
may use plain http (test servers, an intranet issuer the operator trusts).
"""

import hashlib
import http.client
import ipaddress
import json
import logging
import re
import socket
import ssl
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from django.conf import settings
from django.core.cache import cache as django_cache

logger = logging.getLogger(__name__)

JSON_ACCEPT = "application/json, application/ld+json;q=0.9, */*;q=0.1"
USER_AGENT = "SkillsWallet-Verifier/1.0"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_CACHE_PREFIX = "credentials.fetch_json:"

# Hostnames made only of digits, dots and hex prefixes are IPv4 written in
# decimal, octal or hex (http://2130706433/, http://0x7f.1/): never a real name.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]*))*\.?$", re.IGNORECASE)
_METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
_RESOLVER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fetch-dns")
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f]")
_PATH_SAFE = "!$%&'()*+,/:;=?@[]~"
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class FetchError(Exception):
    """A remote resource could not be fetched; `reason` says why for a person to read."""

    def __init__(self, reason: str, *, transient: bool = False, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.status = status


@dataclass(frozen=True)
class FetchResponse:
    """What a server answered: final URL after redirects, status, type, body and headers."""

    url: str
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Tell whether the status is 2xx."""
        return 200 <= self.status < 300

    @property
    def is_gone(self) -> bool:
        """Tell whether the server says the resource was withdrawn for good (HTTP 410)."""
        return self.status == 410


@dataclass(frozen=True)
class _Target:
    """One checked hop: where to connect and what to call the host."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def _allowlisted(host: str, port: int) -> bool:
    """Tell whether the operator allowed this host (any port) or host:port."""
    entries = {entry.strip().lower() for entry in settings.FETCH_ALLOWLIST}
    bare = host.lower()
    shown = f"[{bare}]" if ":" in bare else bare
    return bare in entries or shown in entries or f"{shown}:{port}" in entries


def forbidden_reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Say why an address must not be contacted, or None when it is public."""
    if address in _METADATA_ADDRESSES:
        return "is the cloud metadata service"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is None and any(address in net for net in _NAT64):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            inner = forbidden_reason(embedded)
            return f"embeds {embedded}, which {inner}" if inner else None
    checks = (
        ("is_unspecified", "is unspecified"),
        ("is_loopback", "is loopback"),
        ("is_link_local", "is link-local"),
        ("is_multicast", "is multicast"),
        ("is_reserved", "is reserved"),
        ("is_private", "is private"),
    )
    for attribute, reason in checks:
        if getattr(address, attribute):
            return reason
    if not address.is_global:
        return "is not a public address"
    return None


def _resolve(host: str, port: int) -> tuple[str, ...]:
    """Resolve a host name to its addresses (an IP literal resolves to itself)."""
    try:
        return (str(ipaddress.ip_address(host)),)
    except ValueError:
        pass
    timeout = float(settings.FETCH_TIMEOUT)
    # getaddrinfo has no timeout of its own; a stuck lookup is abandoned to its
    # worker thread, which the system resolver ends on its own schedule.
    lookup = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=timeout)
    except FutureTimeoutError as error:
        raise FetchError(
            f"could not reach {host}: looking up the name timed out after {timeout:g} s",
            transient=True,
        ) from error
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(
            f"could not reach {host}: the name does not resolve", transient=True
        ) from error
    except OSError as error:
        raise FetchError(f"could not reach {host}: {error}", transient=True) from error
    addresses = tuple(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in infos))
    if not addresses:
        raise FetchError(f"could not reach {host}: the name has no address", transient=True)
    return addresses


def _check_target(url: str) -> _Target:
    """Parse one URL and apply every rule before any connection is made."""
    if not isinstance(url, str):
        raise FetchError("refused: the URL is not text")
    if _UNSAFE_URL_CHARS.search(url):
        raise FetchError("refused: the URL contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
        raw_host = parts.hostname
    except ValueError as error:
        raise FetchError(f"refused: {url!r} is not a valid URL ({error})") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"refused: only https URLs can be fetched, not {scheme or 'no scheme'}")
    if not raw_host:
        raise FetchError(f"refused: {url!r} names no host")
    if parts.username is not None or parts.password is not None:
        raise FetchError("refused: URLs with a user name or password are not fetched")
    try:
        host = raw_host if raw_host.isascii() else raw_host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise FetchError(f"refused: {raw_host!r} is not a valid host name") from error
    host = host.lower()
    port = port or (443 if scheme == "https" else 80)
    allowed = _allowlisted(host, port)
    if scheme == "http" and not allowed:
        raise FetchError(f"refused: {host} must be fetched over https, not plain http")
    if _NUMERIC_HOST.match(host) and not allowed:
        try:
            ipaddress.IPv4Address(host)
        except ValueError as error:
            raise FetchError(f"refused: {host} is a disguised numeric address") from error
    addresses = _resolve(host, port)
    if not allowed:
        for address in addresses:
            reason = forbidden_reason(ipaddress.ip_address(address))
            if reason:
                # The address a name resolved to maps the inside of our network: it goes to
                # the log, never to the learner who typed the name.
                logger.warning("fetch refused: %s: address %s %s", host, address, reason)
                raise FetchError(f"refused: {host} is not on the public internet")
    # http.client sends the request line as ASCII: encode anything else as UTF-8 %XX.
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path = f"{path}?{quote(parts.query, safe=_PATH_SAFE)}"
    return _Target(url, scheme, host, port, path, addresses)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to one checked address, whatever DNS says now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address

    def connect(self) -> None:
        """Open the socket to the checked address only."""
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    """An HTTPS connection to one checked address; SNI and the certificate use the host name."""

    def connect(self) -> None:
        """Connect to the checked address and verify TLS against the host name."""
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def _open_connection(target: _Target, address: str, timeout: float) -> http.client.HTTPConnection:
    """Prepare a connection to one checked address of the target."""
    if target.scheme == "https":
        return _PinnedHTTPSConnection(target.host, target.port, address, timeout)
    return _PinnedHTTPConnection(target.host, target.port, address, timeout)


def _network_error(host: str, error: BaseException, timeout: float) -> FetchError:
    """Describe a connection failure in words a learner can act on."""
    if isinstance(error, TimeoutError | socket.timeout):
        return FetchError(f"could not reach {host}: timed out after {timeout:g} s", transient=True)
    if isinstance(error, ssl.SSLCertVerificationError):
        detail = error.verify_message or "certificate not trusted"
        return FetchError(
            f"could not reach {host}: its TLS certificate is invalid ({detail})", transient=True
        )
    if isinstance(error, ssl.SSLError):
        return FetchError(f"could not reach {host}: TLS failed ({error.reason})", transient=True)
    if isinstance(error, ConnectionRefusedError):
        return FetchError(f"could not reach {host}: connection refused", transient=True)
    if isinstance(error, http.client.HTTPException):
        return FetchError(
            f"could not reach {host}: it sent an invalid HTTP response", transient=True
        )
    return FetchError(f"could not reach {host}: {error}", transient=True)


def _read_body(
    response: http.client.HTTPResponse, host: str, cap: int, deadline: float, timeout: float
) -> bytes:
    """Read at most `cap` bytes, giving up at the deadline."""
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > cap:
        raise FetchError(f"refused: {host} sent more than {cap} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(
                f"could not reach {host}: timed out after {timeout:g} s", transient=True
            )
        # read1 returns after one socket read, so a server that trickles bytes
        # cannot hold the fetch past its deadline.
        chunk = response.read1(min(_CHUNK, cap + 1 - size))
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap:
            raise FetchError(f"refused: {host} sent more than {cap} bytes")
        chunks.append(chunk)


def _request(
    target: _Target,
    accept: str,
    cap: int,
    timeout: float,
    *,
    method: str = "GET",
    payload: bytes | None = None,
    request_headers: dict[str, str] | None = None,
) -> FetchResponse:
    """Send one request (a GET unless told) to a checked target and read the answer."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    sent = {**(request_headers or {}), "Accept": accept, "User-Agent": USER_AGENT}
    sent["Accept-Encoding"] = "identity"
    for address in target.addresses:
        connection = _open_connection(target, address, timeout)
        try:
            connection.request(method, target.path, body=payload, headers=sent)
            response = connection.getresponse()
            body = _read_body(response, target.host, cap, deadline, timeout)
            headers = {name.lower(): value for name, value in response.getheaders()}
            content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            return FetchResponse(target.url, response.status, content_type, body, headers)
        except FetchError:
            raise
        except (OSError, http.client.HTTPException) as error:
            last_error = error
            # Only a refused or unreachable address is worth trying the next one for.
            if not isinstance(error, ConnectionRefusedError | ConnectionResetError):
                break
        finally:
            connection.close()
    raise _network_error(target.host, last_error or OSError("no address"), timeout)


_RUN_MEMO: ContextVar[dict[tuple[str, str, int | None], FetchResponse | FetchError] | None] = (
    ContextVar("fetch_run_memo", default=None)
)


@contextmanager
def one_fetch_per_url() -> Iterator[None]:
    """Within this block each URL is fetched at most once (a re-verification run)."""
    token = _RUN_MEMO.set({})
    try:
        yield
    finally:
        _RUN_MEMO.reset(token)


def fetch(url: str, *, accept: str = JSON_ACCEPT, max_bytes: int | None = None) -> FetchResponse:
    """GET `url` under the fetch rules and return the answer for any HTTP status."""
    memo = _RUN_MEMO.get()
    if memo is None:
        return _fetch(url, accept=accept, max_bytes=max_bytes)
    key = (url, accept, max_bytes)
    if key not in memo:
        try:
            memo[key] = _fetch(url, accept=accept, max_bytes=max_bytes)
        except FetchError as error:
            # An unreachable issuer is not asked again for every credential in the run.
            memo[key] = error
    found = memo[key]
    if isinstance(found, FetchError):
        raise found
    return found


def _fetch(url: str, *, accept: str, max_bytes: int | None) -> FetchResponse:
    timeout = float(settings.FETCH_TIMEOUT)
    cap = (
        settings.FETCH_MAX_BYTES if max_bytes is None else min(max_bytes, settings.FETCH_MAX_BYTES)
    )
    current = url
    for _hop in range(settings.FETCH_MAX_REDIRECTS + 1):
        target = _check_target(current)
        response = _request(target, accept, cap, timeout)
        location = response.headers.get("location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        current = urljoin(current, location.strip())
    raise FetchError(f"refused: {url} redirects more than {settings.FETCH_MAX_REDIRECTS} times")


# Headers a caller may set on a POST; the rest (Host, length, encoding) are the fetcher's.
_POST_HEADERS = frozenset({"authorization", "content-type"})


def post(
    url: str,
    *,
    form: dict[str, str] | None = None,
    json_body: Any = None,
    headers: dict[str, str] | None = None,
    accept: str = JSON_ACCEPT,
    max_bytes: int | None = None,
) -> FetchResponse:
    """POST a form or a JSON body to `url` under the fetch rules; the answer for any status.

    Redirects are not followed: a protocol endpoint that moves a POST elsewhere is answered
    as it stands, so no body (a code, a token) is ever replayed to another address.
    """
    if (form is None) == (json_body is None):
        raise ValueError("post takes exactly one of form or json_body")
    if form is not None:
        body = urlencode(form).encode("ascii")
        content_type = "application/x-www-form-urlencoded"
    else:
        body = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        content_type = "application/json"
    extra = dict(headers or {})
    if any(name.lower() not in _POST_HEADERS for name in extra):
        raise ValueError(f"post sets only the headers {sorted(_POST_HEADERS)}")
    extra.setdefault("Content-Type", content_type)
    if any(re.search(r"[\x00-\x1f\x7f]", value) for value in extra.values()):
        raise FetchError("refused: a header value contains control characters")
    timeout = float(settings.FETCH_TIMEOUT)
    cap = (
        settings.FETCH_MAX_BYTES if max_bytes is None else min(max_bytes, settings.FETCH_MAX_BYTES)
    )
    target = _check_target(url)
    return _request(
        target, accept, cap, timeout, method="POST", payload=body, request_headers=extra
    )


def _cache_key(url: str) -> str:
    """Build a cache key that is safe for every backend."""
    return _CACHE_PREFIX + hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


def _cache_get(url: str) -> Any:
    """Read a cached document; a broken cache only means a fresh fetch."""
    try:
        return django_cache.get(_cache_key(url))
    except Exception:  # the cache must fail open, whatever the backend raises
        logger.warning("fetch cache read failed for %s", url, exc_info=True)
        return None


def _cache_set(url: str, document: Any) -> None:
    """Remember a document for at most FETCH_CACHE_SECONDS; errors are logged, not raised."""
    try:
        django_cache.set(
            _cache_key(url), document, timeout=min(settings.FETCH_CACHE_SECONDS, 24 * 3600)
        )
    except Exception:  # the cache must fail open, whatever the backend raises
        logger.warning("fetch cache write failed for %s", url, exc_info=True)


def _reject_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which JSON does not allow."""
    raise ValueError(f"{name} is not valid JSON")


def parse_json(body: bytes, source: str) -> Any:
    """Parse a JSON body, explaining what is wrong with it when it is not JSON."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FetchError(f"{source} did not send UTF-8 JSON") from error
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError as error:
        raise FetchError(f"{source} sent JSON nested too deeply") from error
    except ValueError as error:
        raise FetchError(f"{source} did not send valid JSON ({error})") from error


def fetch_json(url: str, *, cache: bool = False) -> Any:
    """Fetch and parse a JSON document; with `cache`, reuse it for FETCH_CACHE_SECONDS."""
    if cache:
        cached = _cache_get(url)
        if cached is not None:
            return cached
    response = fetch(url, accept=JSON_ACCEPT)
    host = urlsplit(response.url).hostname or response.url
    if not response.ok:
        reason = http.client.responses.get(response.status, "")
        raise FetchError(
            f"{host} answered {response.status} {reason}".rstrip() + f" for {response.url}",
            transient=response.status >= 500 or response.status in (408, 429),
            status=response.status,
        )
    document = parse_json(response.body, host)
    if cache:
        _cache_set(url, document)
    return document

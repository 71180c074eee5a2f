"""Local HTTP servers on 127.0.0.1 whose answers a test sets path by path.

Fixtures: `local_server` (allow-listed by host:port) and `remote_hosts` (named
internet hosts served locally). A test module imports the fixture functions:
`from tests.credentials.support.server import local_server_fixture  # noqa: F401`.
"""

import http.client
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

from credentials import fetcher


@dataclass
class Route:
    """One canned answer: status, content type, body, extra headers and a delay before it."""

    status: int = 200
    content_type: str = "application/json"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    send_length: bool = True
    trickle: float = 0.0


class LocalServer:
    """A threaded server whose `routes` map a path (with query) to a `Route` or a tuple."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | tuple[int, str, bytes]] = {}
        self.requests: list[str] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.host, self.port = self._httpd.server_address[:2]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def authority(self) -> str:
        """Return "127.0.0.1:<port>", the form FETCH_ALLOWLIST takes."""
        return f"{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """Return the http URL of a path on this server."""
        return f"http://{self.authority}{path}"

    def add(self, path: str, body: bytes | str | Any = b"", **route: Any) -> str:
        """Serve `body` at `path` (dicts and lists become JSON) and return its URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):
            body = json.dumps(body).encode("utf-8")
        self.routes[path] = Route(body=body, **route)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        """Answer `path` with a redirect to `location` and return the URL of `path`."""
        self.routes[path] = Route(status=status, headers={"Location": location})
        return self.url(path)

    def start(self) -> None:
        """Start serving in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        """Build a request handler bound to this server's routes."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    route = Route(status=404, content_type="text/plain", body=b"not found")
                elif isinstance(route, tuple):
                    route = Route(*route)
                if route.delay:
                    time.sleep(route.delay)
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    if route.send_length:
                        self.send_header("Content-Length", str(len(route.body)))
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if route.trickle:
                        for byte in route.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(route.trickle)
                    else:
                        self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler


@pytest.fixture(name="local_server")
def local_server_fixture(settings: Any) -> Iterator[LocalServer]:
    """A running local server that the fetcher is allowed to reach."""
    server = LocalServer()
    server.start()
    settings.FETCH_ALLOWLIST = [server.authority]
    settings.FETCH_TIMEOUT = 2.0
    try:
        yield server
    finally:
        server.stop()


class RemoteHosts:
    """Answers for named internet hosts (https://issuer.example/…) from local servers.

    Only DNS and the wire are swapped: the fetcher still applies every rule,
    then talks plain HTTP to a server on 127.0.0.1, so nothing leaves the machine.
    Unknown host names do not resolve.
    """

    def __init__(self, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.servers: dict[str, LocalServer] = {}
        self._settings = settings
        self._settings.FETCH_ALLOWLIST = list(settings.FETCH_ALLOWLIST)
        self._settings.FETCH_TIMEOUT = 2.0
        original_open = fetcher._open_connection
        monkeypatch.setattr(fetcher, "_resolve", self._resolve)
        monkeypatch.setattr(fetcher, "_open_connection", self._opener(original_open))

    def server(self, host: str) -> LocalServer:
        """Return (starting it on first use) the local server that plays `host`."""
        host = host.lower()
        if host not in self.servers:
            server = LocalServer()
            server.start()
            self.servers[host] = server
            self._settings.FETCH_ALLOWLIST = [*self._settings.FETCH_ALLOWLIST, host]
        return self.servers[host]

    def serve(self, url: str, body: bytes | str | Any = b"", **route: Any) -> str:
        """Answer GET `url` with `body` (dicts and lists become JSON) and return `url`."""
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.server(parts.hostname or "").add(path, body, **route)
        return url

    def stop(self) -> None:
        """Stop every local server."""
        for server in self.servers.values():
            server.stop()

    def _resolve(self, host: str, port: int) -> tuple[str, ...]:
        """Resolve served hosts to 127.0.0.1 and every other name to nothing."""
        if host in self.servers:
            return ("127.0.0.1",)
        raise fetcher.FetchError(
            f"could not reach {host}: the name does not resolve", transient=True
        )

    def _opener(self, original: Any) -> Any:
        """Route connections for served hosts to their local server over plain HTTP."""

        def open_connection(
            target: Any, address: str, timeout: float
        ) -> http.client.HTTPConnection:
            server = self.servers.get(target.host)
            if server is None:
                return original(target, address, timeout)
            return http.client.HTTPConnection(server.host, server.port, timeout=timeout)

        return open_connection


@pytest.fixture(name="remote_hosts")
def remote_hosts_fixture(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[RemoteHosts]:
    """Serve chosen internet host names locally (DID documents, key documents, status lists)."""
    hosts = RemoteHosts(settings, monkeypatch)
    try:
        yield hosts
    finally:
        hosts.stop()

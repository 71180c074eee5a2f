"""The fetcher: every rule that keeps remote fetching from reaching where it must not."""

import datetime
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from credentials.fetcher import FetchError, fetch, fetch_json
from tests.credentials.support.server import LocalServer, Route, local_server_fixture  # noqa: F401

pytestmark = pytest.mark.django_db(databases=[])


def refusal(url: str) -> str:
    """Fetch a URL that must be refused and return the reason."""
    with pytest.raises(FetchError) as caught:
        fetch(url)
    assert not caught.value.transient
    return caught.value.reason


def test_it_fetches_json_from_an_allowlisted_local_server(local_server: LocalServer):
    url = local_server.add("/issuer.json", {"id": "urn:example:issuer", "name": "Example"})
    assert fetch_json(url) == {"id": "urn:example:issuer", "name": "Example"}


def test_it_returns_the_response_for_error_statuses_so_410_is_distinguishable(
    local_server: LocalServer,
):
    url = local_server.add("/gone", b"", status=410)
    response = fetch(url)
    assert response.status == 410
    assert response.is_gone
    assert not response.ok


def test_fetch_json_raises_with_the_status_for_non_2xx(local_server: LocalServer):
    url = local_server.add("/missing", b"nope", status=404, content_type="text/plain")
    with pytest.raises(FetchError) as caught:
        fetch_json(url)
    assert caught.value.status == 404
    assert not caught.value.transient
    assert "404" in caught.value.reason
    local_server.add("/busy", b"", status=503)
    with pytest.raises(FetchError) as busy:
        fetch_json(local_server.url("/busy"))
    assert busy.value.transient


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://127.0.0.1/", "address 127.0.0.1 is loopback"),
        ("https://127.0.0.2:8443/key", "address 127.0.0.2 is loopback"),
        ("https://10.0.0.1/", "address 10.0.0.1 is private"),
        ("https://192.168.1.20/", "address 192.168.1.20 is private"),
        ("https://172.16.5.4/", "address 172.16.5.4 is private"),
        ("https://169.254.169.254/latest/meta-data/", "is the cloud metadata service"),
        ("https://169.254.10.10/", "is link-local"),
        ("https://[::1]/", "address ::1 is loopback"),
        ("https://[::ffff:127.0.0.1]/", "embeds 127.0.0.1, which is loopback"),
        ("https://[::ffff:169.254.169.254]/", "which is the cloud metadata service"),
        ("https://[64:ff9b::a00:1]/", "embeds 10.0.0.1, which is private"),
        ("https://[2002:7f00:1::]/", "embeds 127.0.0.1, which is loopback"),
        ("https://[fe80::1]/", "is link-local"),
        ("https://[fc00::1]/", "is private"),
        ("https://0.0.0.0/", "is unspecified"),
        ("https://224.0.0.1/", "is multicast"),
        ("https://100.64.0.1/", "is not a public address"),
        ("https://240.0.0.1/", "is reserved"),
        ("https://[::127.0.0.1]/", "is reserved"),
        ("https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "embeds 10.0.0.1, which is private"),
    ],
)
def test_it_refuses_addresses_that_are_not_public(url: str, expected: str, caplog):
    assert "is not on the public internet" in refusal(url)
    assert expected in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",
        "https://2130706433/",
        "https://0x7f000001/",
        "https://0177.0.0.1/",
        "https://127.1/",
    ],
)
def test_it_refuses_disguised_numeric_addresses(url: str):
    assert "refused" in refusal(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://issuer.example/profile", "must be fetched over https"),
        ("ftp://issuer.example/profile", "only https URLs"),
        ("file:///etc/passwd", "only https URLs"),
        ("https://user:secret@issuer.example/", "user name or password"),
        ("https:///nohost", "names no host"),
        ("https://issuer.example:99999/", "not a valid URL"),
    ],
)
def test_it_refuses_urls_it_must_not_fetch(url: str, expected: str):
    assert expected in refusal(url)


def test_it_checks_addresses_after_resolving_host_names(caplog):
    reason = refusal("https://localhost/")
    assert reason == "refused: localhost is not on the public internet"
    assert "is loopback" in caplog.text


def test_the_refusal_never_names_the_address_a_host_name_resolved_to(caplog):
    reason = refusal("https://localhost/")
    assert "127.0.0.1" not in reason and "::1" not in reason
    assert "address 127.0.0.1" in caplog.text or "address ::1" in caplog.text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (None, "not text"),
        (b"https://issuer.example/", "not text"),
        ("https://issuer.example/a b", "spaces or control characters"),
        ("https://issuer.example/\r\nHost: evil", "spaces or control characters"),
    ],
)
def test_hostile_urls_get_a_clear_reason(url: object, expected: str):
    assert expected in refusal(url)


def test_non_ascii_paths_are_percent_encoded(local_server: LocalServer):
    local_server.add("/caf%C3%A9.json", {"ok": True})
    assert fetch_json(local_server.url("/café.json")) == {"ok": True}


def test_it_refuses_plain_http_to_a_host_that_is_not_allowlisted(local_server: LocalServer):
    local_server.add("/x", {"a": 1})
    other = f"http://localhost:{local_server.port}/x"
    assert "must be fetched over https" in refusal(other)


def test_it_refuses_a_redirect_to_a_loopback_address_that_is_not_allowlisted(
    local_server: LocalServer,
):
    url = local_server.redirect("/hop", "https://127.0.0.2:9/internal")
    assert "127.0.0.2 is not on the public internet" in refusal(url)


def test_it_refuses_a_redirect_to_a_private_address(local_server: LocalServer):
    url = local_server.redirect("/hop", "https://10.1.2.3/admin")
    assert "10.1.2.3 is not on the public internet" in refusal(url)


def test_it_refuses_a_redirect_to_the_metadata_service(local_server: LocalServer):
    url = local_server.redirect("/hop", "http://169.254.169.254/latest/meta-data/")
    assert "must be fetched over https" in refusal(url)


def test_it_follows_a_few_redirects_and_reports_the_final_url(local_server: LocalServer):
    final = local_server.add("/final", {"ok": True})
    local_server.redirect("/b", "/final", status=301)
    start = local_server.redirect("/a", local_server.url("/b"))
    response = fetch(start)
    assert response.status == 200
    assert response.url == final


def test_it_stops_after_the_redirect_limit(local_server: LocalServer, settings):
    settings.FETCH_MAX_REDIRECTS = 2
    for index in range(4):
        local_server.redirect(f"/r{index}", f"/r{index + 1}")
    local_server.add("/r4", {"ok": True})
    assert "redirects more than 2 times" in refusal(local_server.url("/r0"))


def test_it_refuses_a_body_larger_than_the_cap(local_server: LocalServer, settings):
    settings.FETCH_MAX_BYTES = 1000
    url = local_server.add("/big", b"x" * 5000, content_type="text/plain")
    assert "more than 1000 bytes" in refusal(url)


def test_it_stops_reading_past_the_cap_when_no_length_is_declared(
    local_server: LocalServer, settings
):
    settings.FETCH_MAX_BYTES = 1000
    local_server.routes["/stream"] = Route(body=b"y" * 50_000, send_length=False)
    assert "more than 1000 bytes" in refusal(local_server.url("/stream"))


def test_a_smaller_max_bytes_argument_tightens_the_cap(local_server: LocalServer):
    url = local_server.add("/medium", b"z" * 300, content_type="text/plain")
    with pytest.raises(FetchError, match="more than 100 bytes"):
        fetch(url, max_bytes=100)
    assert len(fetch(url, max_bytes=1000).body) == 300


def test_it_times_out_on_a_server_that_does_not_answer(local_server: LocalServer, settings):
    settings.FETCH_TIMEOUT = 0.3
    local_server.routes["/slow"] = Route(body=b"{}", delay=1.0)
    with pytest.raises(FetchError) as caught:
        fetch(local_server.url("/slow"))
    assert caught.value.transient
    assert "timed out after 0.3 s" in caught.value.reason


def test_it_gives_up_on_a_server_that_trickles_its_body(local_server: LocalServer, settings):
    settings.FETCH_TIMEOUT = 0.5
    local_server.routes["/trickle"] = Route(body=b"x" * 40, trickle=0.05)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s"):
        fetch(local_server.url("/trickle"))
    assert time.monotonic() - started < 1.5


def test_it_reports_an_unreachable_host_as_transient(settings):
    settings.FETCH_ALLOWLIST = ["127.0.0.1:9"]
    with pytest.raises(FetchError) as caught:
        fetch("http://127.0.0.1:9/")
    assert caught.value.transient
    assert "could not reach 127.0.0.1" in caught.value.reason


def test_fetch_json_explains_a_body_that_is_not_json(local_server: LocalServer):
    url = local_server.add("/html", b"<html></html>", content_type="text/html")
    with pytest.raises(FetchError, match="did not send valid JSON"):
        fetch_json(url)
    local_server.add("/nan", b'{"a": NaN}')
    with pytest.raises(FetchError, match="NaN is not valid JSON"):
        fetch_json(local_server.url("/nan"))
    local_server.add("/deep", b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(FetchError, match=r"nested too deeply|valid JSON"):
        fetch_json(local_server.url("/deep"))


def test_fetch_json_caches_documents_when_asked(local_server: LocalServer):
    url = local_server.add("/did.json", {"id": "did:web:example"})
    assert fetch_json(url, cache=True) == {"id": "did:web:example"}
    local_server.add("/did.json", {"id": "changed"})
    assert fetch_json(url, cache=True) == {"id": "did:web:example"}
    assert local_server.requests.count("/did.json") == 1
    assert fetch_json(url) == {"id": "changed"}


def test_fetch_json_does_not_cache_failures(local_server: LocalServer):
    url = local_server.add("/flaky", b"", status=503)
    with pytest.raises(FetchError):
        fetch_json(url, cache=True)
    local_server.add("/flaky", {"ok": True})
    assert fetch_json(url, cache=True) == {"ok": True}


def test_fetch_json_works_when_the_cache_is_broken(local_server: LocalServer, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    url = local_server.add("/profile", {"name": "Issuer"})
    assert fetch_json(url, cache=True) == {"name": "Issuer"}


@pytest.fixture
def tls_server(tmp_path, settings):
    """An https server on 127.0.0.1 with a self-signed certificate nobody trusts."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "issuer.example")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("issuer.example")]), False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()

        def log_message(self, format, *args):
            return

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    settings.FETCH_ALLOWLIST = [f"127.0.0.1:{httpd.server_address[1]}"]
    settings.FETCH_TIMEOUT = 2.0
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_it_verifies_tls_certificates(tls_server: int):
    with pytest.raises(FetchError) as caught:
        fetch(f"https://127.0.0.1:{tls_server}/")
    assert "TLS certificate is invalid" in caught.value.reason
    assert caught.value.transient

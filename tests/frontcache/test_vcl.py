"""deploy/varnish.vcl on a real varnishd (tests/private_services.py's PrivateVarnish).

A tiny loopback backend stands for gunicorn: it names each page's surrogate keys in an
``xkey`` header and counts the requests it answers, so a test sees whether Varnish answered
from its cache or asked the backend again.
"""

import http.server
import itertools
import os
import threading
import urllib.error
import urllib.request

import pytest

from tests.private_services import VARNISHD, PrivateVarnish

# The keys of each page the backend serves (what the app will send in issue 15).
KEYS = {
    "/news/1/": "article-1 section-2",
    "/news/2/": "article-2 section-2",
    "/": "home section-2",
}


class KeyedBackend(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    answered = itertools.count(1)

    def do_GET(self):
        body = f"{self.path}:{next(self.answered)}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=0, s-maxage=300")
        self.send_header("xkey", KEYS.get(self.path.split("?")[0], "other"))
        if self.path.startswith("/cookie/"):
            self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def varnish():
    if not VARNISHD.exists():
        message = f"{VARNISHD} is missing: run `make tools` (Debian's varnish, varnish-modules)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    backend = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KeyedBackend)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    cache = PrivateVarnish(f"127.0.0.1:{backend.server_address[1]}")
    cache.start()
    yield cache
    cache.destroy()
    backend.shutdown()
    backend.server_close()


def request(varnish, path, method="GET", **headers):
    req = urllib.request.Request(varnish.url + path, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_the_vcl_compiles(varnish):
    result = varnish.check_vcl()
    assert "VCL_conf" in result.stdout + result.stderr  # the C varnishd would load


def test_miss_then_hit_then_purged_by_key(varnish):
    status, headers, first = request(varnish, "/news/1/")
    assert (status, headers["X-Cache"]) == (200, "MISS")
    assert "xkey" not in headers  # the keys stay between the app and Varnish

    status, headers, again = request(varnish, "/news/1/")
    assert (status, headers["X-Cache"], again) == (200, "HIT", first)

    status, _, text = request(varnish, "/", method="PURGE", xkey="article-1")
    assert status == 200 and "Purged 1" in text

    status, headers, fresh = request(varnish, "/news/1/")
    assert (status, headers["X-Cache"]) == (200, "MISS")
    assert fresh != first  # the backend answered again


def test_a_purge_leaves_pages_with_other_keys_cached(varnish):
    request(varnish, "/news/2/")
    request(varnish, "/")
    request(varnish, "/", method="PURGE", xkey="article-2")
    assert request(varnish, "/news/2/")[1]["X-Cache"] == "MISS"
    assert request(varnish, "/")[1]["X-Cache"] == "HIT"
    # Several keys in one purge, as an edit of an article in a section will send.
    request(varnish, "/news/1/")
    request(varnish, "/news/2/")
    status, _, text = request(varnish, "/", method="PURGE", xkey="nothing-here section-2")
    assert status == 200 and "Purged 3" in text
    for path in ("/", "/news/1/", "/news/2/"):
        assert request(varnish, path)[1]["X-Cache"] == "MISS"


def test_a_purge_without_a_key_is_refused(varnish):
    status, _, _ = request(varnish, "/", method="PURGE")
    assert status == 400


def test_staff_sessions_and_cookie_setting_pages_are_never_cached(varnish):
    for _ in range(2):
        _, headers, _ = request(varnish, "/news/1/", Cookie="csrftoken=x; sessionid=staff")
        assert headers["X-Cache"] == "PASS"
    request(varnish, "/cookie/page/")
    status, headers, _ = request(varnish, "/cookie/page/")
    assert (status, headers["X-Cache"]) == (200, "PASS")


def test_a_reader_cookie_does_not_split_or_bypass_the_cache(varnish):
    request(varnish, "/reader/")
    _, headers, _ = request(varnish, "/reader/", Cookie="csrftoken=x; _ga=1")
    assert headers["X-Cache"] == "HIT"


def test_stop_ends_varnishd(varnish):
    extra = PrivateVarnish(f"127.0.0.1:{varnish.port}")
    extra.start()
    process = extra.process
    extra.destroy()
    assert process.poll() is not None
    assert not extra.folder.exists()

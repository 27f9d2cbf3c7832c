"""The serving stack of deploy/ with the real programs: nginx (the rendered
deploy/nginx.conf.template) -> varnishd (deploy/varnish.vcl, PrivateVarnish) -> the app.

The app runs in this process on a small threaded WSGI server that the test can stop, which
stands for gunicorn going down (pytest-django's live server cannot be stopped mid-session).
It serves Django's own handler on the test database, counting the requests that reach it.
"""

import os
import shutil
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections

from tests.private_services import VARNISHD, PrivateVarnish, free_port, wait_for_port

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy"))

import serve

pytestmark = pytest.mark.django_db(transaction=True)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _required(path, package):
    if Path(path).exists():
        return
    message = f"{path} is missing: run `make tools` ({package})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class StoppableApp:
    """Django's WSGI handler on 127.0.0.1:``port``; ``stop()`` closes the port, so Varnish's
    next connection is refused as it is when gunicorn is down. HTTP/1.0, one request per
    connection: no kept-alive connection outlives ``stop()``.

    ``?set-cookie`` in a request adds a Set-Cookie header to the app's answer (keys and all),
    like a view that sets one by mistake: Varnish's own rule must keep it out of the cache.
    """

    def __init__(self):
        self.handler = WSGIHandler()
        self.requests = []
        self.port = free_port()
        self.server = None
        self.failing = False

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def __call__(self, environ, start_response):
        # PATH_INFO is the decoded path's bytes read as latin-1 (PEP 3333).
        self.requests.append(environ["PATH_INFO"].encode("latin-1").decode())
        if self.failing:
            # As the app answers while its database is down (core/faults.py): a 503 page.
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"app failing"]
        answer = start_response
        if "set-cookie" in environ.get("QUERY_STRING", ""):

            def answer(status, headers, exc_info=None):
                cookie = ("Set-Cookie", "reader=1; Path=/")
                return start_response(status, [*headers, cookie], exc_info)

        response = self.handler(environ, answer)
        try:
            body = list(response)
        finally:
            response.close()
            # This request's thread ends here: its database connection must not outlive it.
            connections.close_all()
        return body

    def count(self, url):
        """Requests for ``url`` (a path as a link has it, percent-encoded) that reached the app."""
        return self.requests.count(urllib.parse.unquote(url.split("?")[0]))

    def start(self):
        self.server = _ThreadingServer(("127.0.0.1", self.port), _QuietHandler)
        self.server.set_app(self)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        wait_for_port(self.port)

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def app(settings):
    settings.ALLOWED_HOSTS = ["*"]
    # Varnish caches only pages that carry surrogate keys; the app sends them when it purges.
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]
    server = StoppableApp()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def varnish(app, settings):
    _required(VARNISHD, "varnish, varnish-modules")
    cache = PrivateVarnish(app.address)
    cache.start()
    settings.FRONT_CACHE_PURGE_URLS = [cache.url + "/"]
    yield cache
    cache.destroy()


@pytest.fixture
def nginx(app, varnish, tmp_path):
    """nginx on the rendered template, Varnish first and the app as its backup."""
    _required(NGINX, "nginx-light")
    port = free_port()
    process = serve.start_nginx(tmp_path / "run", port, varnish.url[7:], app.address)
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        serve.stop([process])


def read(base, path, method="GET", **headers):
    request = urllib.request.Request(base + path, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def refused(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_grace_serves_cached_pages_while_the_app_is_down(app, varnish, settings, make_article):
    # A one-second lifetime, so the copies below are past it when read: only grace serves them.
    settings.FRONT_CACHE_SECONDS = 1
    settings.FRONT_CACHE_STALE_SECONDS = 0
    story = make_article(headline="خبر يبقى والخادم متوقف")
    never_read = make_article(headline="خبر لم يقرأه أحد")
    url = story.get_absolute_url()
    status, headers, first = read(varnish.url, url)
    assert (status, headers["X-Cache"]) == (200, "MISS") and "خبر يبقى والخادم متوقف" in first
    status, headers, again = read(varnish.url, url)
    assert (status, headers["X-Cache"], again) == (200, "HIT", first)
    assert app.count(url) == 1

    app.stop()
    assert refused(app.port)
    time.sleep(1.5)  # past the page's lifetime: within the short grace of a healthy backend
    status, headers, stale = read(varnish.url, url)
    assert (status, headers["X-Cache"], stale) == (200, "HIT-STALE", first)
    # Past the short grace as well: the fetch fails, and its retry serves the copy in long grace.
    time.sleep(11)
    for _ in range(3):
        status, headers, stale = read(varnish.url, url)
        assert (status, headers["X-Cache"], stale) == (200, "HIT-STALE", first)
    # Nothing cached to fall back on: Varnish's short Arabic page, and no copy of another page.
    status, headers, body = read(varnish.url, never_read.get_absolute_url())
    assert status == 503 and "الموقع غير متاح مؤقتًا" in body
    assert headers["Retry-After"] == "30"

    app.start()  # back: the next fetch replaces the stale copy
    deadline = time.monotonic() + 15
    while read(varnish.url, url)[1]["X-Cache"] == "HIT-STALE" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert app.count(url) >= 2
    assert read(varnish.url, never_read.get_absolute_url())[0] == 200


def test_grace_serves_cached_pages_while_the_app_answers_errors(
    app, varnish, settings, make_article
):
    settings.FRONT_CACHE_SECONDS = 1
    settings.FRONT_CACHE_STALE_SECONDS = 0
    url = make_article(headline="خبر يبقى والقاعدة متوقفة").get_absolute_url()
    other = make_article().get_absolute_url()
    read(varnish.url, url)
    status, headers, first = read(varnish.url, url)
    assert (status, headers["X-Cache"]) == (200, "HIT")

    app.failing = True
    time.sleep(1.5)  # in the short grace: the background refresh meets a 503 and is dropped
    for _ in range(2):
        status, headers, stale = read(varnish.url, url)
        assert (status, headers["X-Cache"], stale) == (200, "HIT-STALE", first)
    time.sleep(11)  # past it: the 503 is retried in long grace, which finds the copy
    status, headers, stale = read(varnish.url, url)
    assert (status, headers["X-Cache"], stale) == (200, "HIT-STALE", first)
    # Nothing cached: the app's own error page, never stored.
    for _ in range(2):
        status, headers, body = read(varnish.url, other)
        assert (status, body) == (503, "app failing") and headers["X-Cache"] != "HIT"
    app.failing = False
    assert read(varnish.url, other)[0] == 200


def test_a_purge_leaves_no_copy_for_grace(app, varnish, settings, make_article):
    """A takedown while the app is down: the purged page is not served from grace."""
    settings.FRONT_CACHE_SECONDS = 1
    story = make_article(headline="خبر سيُسحب")
    url = story.get_absolute_url()
    read(varnish.url, url)
    assert read(varnish.url, url)[1]["X-Cache"] == "HIT"
    app.stop()
    assert read(varnish.url, url, method="PURGE", xkey=f"a{story.pk}")[0] == 200
    status, _, body = read(varnish.url, url)
    assert status == 503 and "خبر سيُسحب" not in body


def test_varnish_down_nginx_serves_the_app_directly(app, varnish, nginx, make_article):
    story = make_article(headline="خبر عبر nginx")
    url = story.get_absolute_url()
    status, headers, first = read(nginx, url)
    assert (status, headers["X-Cache"]) == (200, "MISS") and "خبر عبر nginx" in first
    assert read(nginx, url)[1]["X-Cache"] == "HIT"
    assert app.count(url) == 1

    varnish.stop()
    assert refused(varnish.port)
    for expected in (2, 3):  # every read now reaches the app, none fails
        status, headers, body = read(nginx, url)
        assert status == 200 and "خبر عبر nginx" in body
        assert "X-Cache" not in headers and "xkey" not in headers
        assert app.count(url) == expected

    varnish.start()  # back after nginx's fail_timeout (5 s): through Varnish again
    deadline = time.monotonic() + 15
    while "X-Cache" not in read(nginx, url)[1] and time.monotonic() < deadline:
        time.sleep(0.5)
    assert read(nginx, url)[1]["X-Cache"] == "HIT"


def test_nginx_refuses_purge_from_outside(app, varnish, nginx, make_article):
    story = make_article()
    url = story.get_absolute_url()
    read(nginx, url)
    for method in ("PURGE", "BAN"):
        assert read(nginx, "/", method=method, xkey=f"a{story.pk}")[0] == 405
    assert read(nginx, url)[1]["X-Cache"] == "HIT"  # still cached
    assert read(varnish.url, "/", method="PURGE", xkey=f"a{story.pk}")[0] == 200  # the app's way


def test_a_session_cookie_always_reaches_the_app(app, varnish, make_article):
    url = make_article(headline="خبر يراه المحرر").get_absolute_url()
    read(varnish.url, url)
    assert read(varnish.url, url)[1]["X-Cache"] == "HIT"
    before = app.count(url)
    for _ in range(2):
        status, headers, body = read(varnish.url, url, Cookie="sessionid=abc; csrftoken=x")
        assert (status, headers["X-Cache"]) == (200, "PASS") and "خبر يراه المحرر" in body
    assert app.count(url) == before + 2
    # A reader's other cookies neither split nor bypass the cache.
    assert read(varnish.url, url, Cookie="csrftoken=x")[1]["X-Cache"] == "HIT"


def test_a_response_that_sets_a_cookie_is_never_cached(app, varnish, make_article):
    url = make_article().get_absolute_url() + "?set-cookie"
    for number in (1, 2, 3):
        status, headers, _ = read(varnish.url, url)
        assert (status, headers["X-Cache"]) == (200, "PASS")
        assert headers["Set-Cookie"] == "reader=1; Path=/"
        assert app.count(url) == number
    # The real app's cookie-setting page (the admin login's CSRF cookie) likewise.
    for _ in range(2):
        status, headers, _ = read(varnish.url, "/admin/login/")
        assert (status, headers["X-Cache"]) == (200, "PASS") and "Set-Cookie" in headers


def test_writes_are_passed_not_cached(app, varnish):
    for _ in range(2):
        status, headers, _ = read(varnish.url, "/admin/login/", method="POST")
        assert headers["X-Cache"] == "PASS" and status < 500
    assert app.count("/admin/login/") == 2

"""Static publishing (pagecache/publish.py): pages written as files for nginx, switched off at
every edit and at scheduled changes, served by a real nginx with the app's own headers."""

import datetime
import http.server
import itertools
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone

from pagecache import generation, publish
from pagecache.management.commands.watch_published_pages import Watcher
from pagecache.wsgi import CachedPageApplication
from tests.wsgi_helpers import call
from workflow.services import article_save

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import serve  # noqa: E402


@pytest.fixture
def pages(settings, real_redis):
    """A publishing folder with a live watcher heartbeat. Outside pytest's private temporary
    folder: nginx's workers (another user when started by root) must be able to read it."""
    root = Path(tempfile.mkdtemp(prefix="newsroom-pages-test-"))
    root.chmod(0o755)
    settings.PAGE_PUBLISH_ROOT = str(root)
    publish.touch_heartbeat(root)
    generation.sync_published(root)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def record_headers(root, app, rf, path="/"):
    """As deploy/serve.py does: the headers of a page from the app, before anything is
    published (the first request renders and would publish only with headers.json)."""
    answer = call(app, rf, path)
    assert answer["status"] == "200 OK"
    publish.write_headers(root, answer["headers"])
    return answer


def current_file(root, path, host="testserver"):
    return root / publish.CURRENT / publish.relative_file(host, path)


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/", "example.org/.html"),
        ("/news/1/خبر/", "example.org/news/1/خبر/.html"),
        ("/robots", "example.org/robots.html"),
        ("/a.html", "example.org/a.html.html"),
        ("/a/../b/", None),
        ("/a/./b/", None),
        ("//a/", None),
        ("/.hidden/", None),
        ("/a\x00/", None),
        ("no-slash/", None),
        ("/" + "ب" * 130 + "/", None),  # 260 bytes in one name
    ],
)
def test_paths_map_to_files_one_to_one(path, expected):
    assert publish.relative_file("Example.org:8080", path) == expected


def test_header_sets_ignore_file_headers_and_the_order_of_csp_directives():
    a = [("Content-Security-Policy", "img-src 'self'; default-src 'self'"), ("ETag", '"1"')]
    b = [("content-security-policy", "default-src 'self'; img-src 'self'"), ("Date", "x")]
    assert publish.header_set(a) == publish.header_set(b)
    assert publish.header_set(a) != publish.header_set([*b, ("X-Robots-Tag", "noindex")])


def test_a_rendered_page_is_published_with_its_body(apps, pages, rf, make_article):
    shortcut, reached, _ = apps
    record_headers(pages, shortcut, rf)
    url = make_article(headline="خبر منشور في ملف").get_absolute_url()
    first = call(shortcut, rf, url)
    assert first["status"] == "200 OK" and len(reached) == 2
    published = current_file(pages, urllib.request.url2pathname(url))
    assert published.read_bytes() == first["body"]
    assert os.readlink(pages / publish.CURRENT) == publish.folder(generation.current())
    assert "خبر منشور في ملف" in published.read_text()


def test_an_edit_switches_published_pages_off_before_it_answers(
    apps, pages, rf, make_article, django_capture_on_commit_callbacks
):
    shortcut, _, _ = apps
    record_headers(pages, shortcut, rf)
    with django_capture_on_commit_callbacks(execute=True):  # a committed new article
        article = make_article(headline="العنوان الأول")
    url = article.get_absolute_url()
    call(shortcut, rf, url)
    call(shortcut, rf, "/")
    decoded = urllib.request.url2pathname(url)
    assert current_file(pages, decoded).exists() and current_file(pages, "/").exists()
    before = os.readlink(pages / publish.CURRENT)
    article.headline = "العنوان بعد التعديل"
    # Committed, as the admin's request commits before it answers.
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article)
    assert os.readlink(pages / publish.CURRENT) != before
    assert not current_file(pages, decoded).exists()
    assert not current_file(pages, "/").exists()  # every page, not only the article's
    again = call(shortcut, rf, url)
    assert "العنوان بعد التعديل" in again["body"].decode()
    assert "العنوان بعد التعديل" in current_file(pages, decoded).read_text()


def test_what_is_never_published(apps, pages, rf, settings, make_article, client):
    shortcut, _, _ = apps
    record_headers(pages, shortcut, rf)
    url = make_article(headline="الطاقة الشمسية").get_absolute_url()
    decoded = urllib.request.url2pathname(url)
    call(shortcut, rf, url + "?from=campaign")  # a query string
    call(shortcut, rf, url, method="head")
    call(shortcut, rf, url, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=x")  # maybe staff
    call(shortcut, rf, "/search/?q=الطاقة")  # rate-limited and with a query string
    call(shortcut, rf, "/no-such-page/")  # 404
    call(shortcut, rf, "/robots.txt")  # not HTML
    folder = pages / publish.CURRENT / "testserver"
    assert not folder.exists() or list(folder.rglob("*.html")) == []
    # Headers other than the recorded ones (HSTS on HTTPS here): not published either.
    settings.SECURE_HSTS_SECONDS = 3600
    secure_app = CachedPageApplication(WSGIHandler())
    call(secure_app, rf, url, secure=True)
    assert not current_file(pages, decoded).exists()
    # Nor while the watcher is away.
    os.utime(pages / publish.HEARTBEAT, (0, 0))
    generation.bump()
    call(shortcut, rf, url)
    assert not current_file(pages, decoded).exists()
    publish.touch_heartbeat(pages)
    call(shortcut, rf, "/")
    assert current_file(pages, "/").exists()


def test_the_watcher_bumps_at_a_scheduled_time(
    apps, pages, rf, make_article, django_capture_on_commit_callbacks
):
    shortcut, _, _ = apps
    record_headers(pages, shortcut, rf)
    soon = timezone.now() + datetime.timedelta(seconds=3)
    with django_capture_on_commit_callbacks(execute=True):  # a committed new article
        make_article(headline="خبر مجدول", published_at=soon)
    watcher = Watcher(pages, lifetime=3600)
    watcher.step()
    call(shortcut, rf, "/")
    assert "خبر مجدول" not in current_file(pages, "/").read_text()
    watcher.step()
    assert current_file(pages, "/").exists() and watcher.bumps == 0
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.05)
    watcher.step()
    assert watcher.bumps == 1
    assert not current_file(pages, "/").exists()
    assert "خبر مجدول" in call(shortcut, rf, "/")["body"].decode()


def test_the_watcher_renews_old_generations_and_removes_old_folders(apps, pages, rf, db):
    shortcut, _, _ = apps
    record_headers(pages, shortcut, rf)
    call(shortcut, rf, "/")
    old = os.readlink(pages / publish.CURRENT)
    watcher = Watcher(pages, lifetime=0)  # PAGE_CACHE_SECONDS reached at once
    watcher.step()
    assert watcher.bumps == 1 and os.readlink(pages / publish.CURRENT) != old
    os.utime(pages / old, (0, 0))  # stopped being current long enough ago
    assert publish.remove_old_folders(pages) == 1
    assert not (pages / old).exists() and (pages / publish.CURRENT).is_dir()


def test_concurrent_bumps_leave_current_at_the_newest(pages):
    for _ in range(3):
        generation._bump()
    assert os.readlink(pages / publish.CURRENT) == publish.folder(generation.current())


# A real nginx with deploy/nginx.conf.template: the published file is what it serves, with the
# recorded headers; a query string, a session cookie or a switched generation reach the app.

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture
def nginx_binary():
    if Path(NGINX).exists():
        return NGINX
    message = f"{NGINX} is missing: run `make tools` (apt-get install nginx-light)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.getheaders()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class EchoApp(http.server.BaseHTTPRequestHandler):
    """Stands for gunicorn: answers with the URI it was asked for and how many requests it
    has had, cacheable by nginx for a minute."""

    answered = itertools.count(1)

    def do_GET(self):
        body = f"app:{self.path}:{next(self.answered)}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=0, s-maxage=60")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_nginx_serves_published_files_with_the_recorded_headers(
    apps,
    pages,
    rf,
    make_article,
    nginx_binary,
    tmp_path,
):
    shortcut, _, _ = apps
    recorded = record_headers(pages, shortcut, rf)
    url = make_article(headline="خبر يقدمه nginx").get_absolute_url()
    body = call(shortcut, rf, url)["body"]
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoApp)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    app = f"127.0.0.1:{upstream.server_address[1]}"
    port = free_port()
    lines = serve.header_lines(publish.write_headers(pages, recorded["headers"]))
    run = tmp_path / "run"
    process = serve.start_nginx(run, port, app, 1, pages, lines)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        status, headers, served = fetch(base + url, Host="testserver")
        assert status == 200 and served == body
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert publish.header_set(headers.items()) == publish.expected_headers()

        def from_app(path, **headers):
            """(URI the app saw, its request number) of an answer from the app."""
            answer = fetch(base + path, **headers)[2].decode()
            assert answer.startswith("app:"), answer[:80]
            seen, number = answer[4:].rsplit(":", 1)
            return seen, int(number)

        # Anything else reaches the app with the URI the client sent, through the micro-cache
        # (a query string) or not at all from a cache (a session cookie).
        first = from_app(url + "?from=x", Host="testserver")
        assert first[0] == f"{url}?from=x" and from_app(url + "?from=x", Host="testserver") == first
        staff = [from_app(url, Host="testserver", Cookie="sessionid=x") for _ in range(2)]
        assert staff[0][0] == url and staff[0][1] != staff[1][1]
        generation.bump()  # an edit: the file is no longer served, nor any cached copy
        again = [from_app(url, Host="testserver") for _ in range(2)]
        assert again[0][0] == url and again[0][1] != again[1][1]
        assert from_app(url, Host="other.example")[0] == url
    finally:
        serve.stop([process])
        upstream.shutdown()
        shutil.rmtree(serve.scratch_folder(run, "nginx-cache"), ignore_errors=True)

"""Faults survived, against services the tests start themselves on their own ports.

- Redis stops while pages are served: readers still get pages, staff still save, and the
  outage is logged once, not per request.
- PostgreSQL restarts under load: requests fail fast with the Arabic 503 page, then the same
  app server recovers on its own (health-checked connections); no article is half saved.
- An import crashes half-way: no partial article.
"""

import http.cookiejar
import json
import logging
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from articles.models import Article, Byline, MastheadTerm
from articles.models import Byline as ServicesByline
from tests.conftest import FIXTURES
from tests.private_services import PrivatePostgres, PrivateRedis, free_port, wait_for_port
from tests.workflow_helpers import article_data, change_url

ROOT = Path(__file__).resolve().parents[2]


# -- Redis ----------------------------------------------------------------------------------


@pytest.fixture
def private_redis(settings):
    from core import cache as newsroom_cache

    newsroom_cache._outage["down"] = False  # another test may have left an outage open
    redis = PrivateRedis()
    redis.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": redis.url,
            "KEY_PREFIX": "fault-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    cache.close()
    yield redis
    redis.stop()
    cache.close()


def test_readers_and_staff_carry_on_when_redis_stops(
    private_redis, client, admin_client, make_article, caplog
):
    article = make_article(headline="خبر والذاكرة المؤقتة تعمل")
    assert client.get("/").status_code == 200
    cache.set("probe", 1)
    assert cache.get("probe") == 1  # Redis really is in use

    private_redis.stop()
    caplog.set_level(logging.WARNING)
    for _ in range(5):
        assert client.get("/").status_code == 200
        assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get("/search/", {"q": "خبر"}).status_code == 200
    # Staff open the article form (edit presence lives in the cache) and save it.
    assert admin_client.get(change_url(article)).status_code == 200
    response = admin_client.post(
        change_url(article), article_data(article, headline="حُفظ والذاكرة المؤقتة متوقفة")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "حُفظ والذاكرة المؤقتة متوقفة"
    outage_logs = [r for r in caplog.records if r.name == "newsroom.cache"]
    assert len(outage_logs) == 1, [r.getMessage() for r in outage_logs]

    private_redis.start()
    assert client.get("/").status_code == 200
    cache.set("probe", 2)
    assert cache.get("probe") == 2


# -- PostgreSQL restart ---------------------------------------------------------------------

SEED = """
import json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from articles.models import Article, Section
section = Section.objects.create(name="أخبار", slug="akhbar")
article = Article.objects.create(
    headline="خبر قبل إعادة التشغيل", section=section, body="<p>نص.</p>",
    status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1))
get_user_model().objects.create_superuser("chief", password="chief-password-1")
local = timezone.localtime(article.published_at)
print(json.dumps({"pk": article.pk, "url": article.get_absolute_url(),
    "section": section.pk, "slug": article.slug, "version": article.version,
    "date": local.strftime("%Y-%m-%d"), "time": local.strftime("%H:%M:%S")}))
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(opener, url, data=None, timeout=15):
    started = time.monotonic()
    body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
    try:
        with opener.open(url, data=body, timeout=timeout) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    return status, text, time.monotonic() - started


@pytest.fixture
def app_on_private_postgres(db):
    postgres = PrivatePostgres()
    server = None
    try:
        postgres.init()
        source = connection.settings_dict
        source_url = (
            f"postgres://{source['USER']}@{source['HOST']}:{source['PORT']}/{source['NAME']}"
        )
        postgres.copy_database(source_url, "newsroom")
        env = {
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "tests.fault_settings",
            "DATABASE_URL": postgres.url(),
            "SECRET_KEY": "fault-test-secret-key",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "DB_CONNECT_TIMEOUT": "2",
            "LOG_LEVEL": "CRITICAL",
            "RATELIMIT_SEARCH": "100000/60",
        }
        seeded = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SEED],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert seeded.returncode == 0, seeded.stderr
        seed = json.loads(seeded.stdout.strip().splitlines()[-1])
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--threads", "8", "--timeout", "30", "newsroom.wsgi"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(port, timeout=30)
        yield postgres, server, f"http://127.0.0.1:{port}", seed
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        postgres.destroy()


def test_postgres_restart_under_load_fails_fast_then_recovers(app_on_private_postgres):
    postgres, server, base, seed = app_on_private_postgres
    results, saves, stop = [], [], threading.Event()
    reader = urllib.request.build_opener(NoRedirect)
    assert fetch(reader, base + seed["url"])[0] == 200

    def read_pages():
        while not stop.is_set():
            for path in ("/", seed["url"], "/search/?q=خبر"):
                status, text, elapsed = fetch(reader, base + urllib.parse.quote(path, safe="/?=%"))
                results.append((time.monotonic(), status, elapsed, text))

    def save_articles():
        jar = http.cookiejar.CookieJar()
        editor = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(jar))
        logged_in = False
        number = 0
        while not stop.is_set():
            if not logged_in:
                status, text, _ = fetch(editor, base + "/admin/login/")
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
                if status != 200 or not token:
                    time.sleep(0.1)
                    continue
                status, _, _ = fetch(editor, base + "/admin/login/", {
                    "csrfmiddlewaretoken": token.group(1), "username": "chief",
                    "password": "chief-password-1", "next": "/admin/"})  # fmt: skip
                logged_in = status == 302
                continue
            status, text, _ = fetch(editor, f"{base}/admin/articles/article/{seed['pk']}/change/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
            version = re.search(r'name="loaded_version" value="(\d+)"', text)
            if status != 200 or not (token and version):
                time.sleep(0.1)
                continue
            number += 1
            headline = f"تعديل رقم {number}"
            data = {
                **{f"{p}-{k}": "0" for p in ("bylines", "corrections", "editorial_notes",
                   "transitions") for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
                "csrfmiddlewaretoken": token.group(1), "headline": headline,
                "slug": seed["slug"], "section": seed["section"], "body": f"<p>{headline}</p>",
                "status": "published", "loaded_version": version.group(1),
                "published_at_0": seed["date"], "published_at_1": seed["time"],
                "expires_at_0": "", "expires_at_1": "",
            }  # fmt: skip
            status, _, elapsed = fetch(
                editor, f"{base}/admin/articles/article/{seed['pk']}/change/", data
            )
            saves.append((headline, status, elapsed))

    threads = [threading.Thread(target=read_pages) for _ in range(3)]
    threads.append(threading.Thread(target=save_articles))
    for thread in threads:
        thread.start()
    time.sleep(2)
    down_at = time.monotonic()
    postgres.stop()
    time.sleep(2)
    postgres.start()
    up_at = time.monotonic()
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    print(
        f"\nPostgreSQL restart: {len(results)} reads, by status "
        f"{dict(Counter(status for _, status, _, _ in results))}, slowest "
        f"{max(elapsed for _, _, elapsed, _ in results):.2f}s; saves by status "
        f"{dict(Counter(status for _, status, _ in saves))}"
    )
    statuses = {status for _, status, _, _ in results}
    assert statuses <= {200, 503}, statuses  # never a 500 or a hang
    assert max(elapsed for _, _, elapsed, _ in results) < 5  # fail fast
    outage = [r for r in results if down_at <= r[0] <= up_at]
    unavailable = [r for r in outage if r[1] == 503]
    assert unavailable, "the outage was not seen"
    assert "الموقع غير متاح مؤقتًا" in unavailable[0][3]
    # The same server process recovered by itself: the last second was all pages.
    assert server.poll() is None
    last = [status for finished, status, _, _ in results if finished > up_at + 3]
    assert last and set(last) == {200}
    # Saves: each is all there (article and its revision) or not at all.
    assert {status for _, status, _ in saves} <= {302, 503, 200}
    saved = [headline for headline, status, _ in saves if status == 302]
    assert saved, "no save went through"
    query = (
        "select a.headline, a.version, (select count(*) from reversion_version v "
        f"where v.object_id = '{seed['pk']}' and v.content_type_id = (select id from "
        "django_content_type where app_label='articles' and model='article')) "
        f"from articles_article a where a.id = {seed['pk']}"
    )
    row = postgres.run(
        "psql", "-h", "127.0.0.1", "-p", postgres.port, "-U", "postgres", "-d", "newsroom",
        "-At", "-F", "|", "-c", query,
    ).stdout.strip().split("|")  # fmt: skip
    headline, version, revisions = row[0], int(row[1]), int(row[2])
    committed = version - seed["version"]
    assert len(saved) <= committed <= len(saves)
    assert revisions == committed  # every committed save has its revision, no more, no less
    assert headline == saved[-1] or headline in [h for h, _, _ in saves]


# -- crash in the middle of an import --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_crash_half_way_through_an_import_leaves_no_partial_article(monkeypatch):
    legacy = FIXTURES / "legacy"
    first, second = legacy / "good_single_author.txt", legacy / "good_two_authors_agency.txt"
    real_bulk_create = Byline.objects.bulk_create
    calls = []

    def crash_on_second_page(objs, *args, **kwargs):
        objs = list(objs)
        calls.append(objs)
        if len(calls) == 2:  # the second page's article row is already inserted
            raise RuntimeError("power cut")
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(ServicesByline.objects, "bulk_create", crash_on_second_page)
    terms_before = MastheadTerm.objects.count()
    with pytest.raises(RuntimeError, match="power cut"):
        call_command("import_legacy", str(first), str(second), stdout=StringIO(), stderr=StringIO())
    # The first page is in whole; of the second, nothing: no article, no byline, no term.
    assert Article.objects.count() == 1
    assert Byline.objects.count() == Article.objects.get().bylines.count() >= 1
    terms_after_first = MastheadTerm.objects.count()
    monkeypatch.undo()
    call_command("import_legacy", str(first), str(second), stdout=StringIO(), stderr=StringIO())
    assert Article.objects.count() == 2
    assert MastheadTerm.objects.count() >= terms_after_first >= terms_before


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_leaves_only_whole_articles(tmp_path):
    page = (FIXTURES / "legacy" / "good_two_authors_agency.txt").read_text()
    headline = "ارتفاع أسعار الذهب في الأسواق المحلية مع صعود الأوقية عالميًا"
    folder = tmp_path / "pages"
    folder.mkdir()
    for number in range(60):
        (folder / f"{number:03}.txt").write_text(page.replace(headline, f"{headline} {number}"))
    db = connection.settings_dict
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": "import-kill-test-key",
        "DEBUG": "0",
    }
    command = [sys.executable, "manage.py", "import_legacy", str(folder)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while Article.objects.count() < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.kill()  # SIGKILL: no clean-up, no rollback from the program itself
    process.wait(timeout=10)
    imported = Article.objects.count()
    assert 3 <= imported < 60
    for article in Article.objects.all():
        assert article.bylines.count() == 2  # every article in the database is whole
    # Running the import again completes it, without duplicates.
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    assert Article.objects.count() == 60
    assert Byline.objects.count() == 120

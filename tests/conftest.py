import datetime
import itertools
import os
import uuid
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import Permission
from django.core.cache import cache, caches
from django.utils import timezone

from articles.models import Article, Author, MastheadRole, MastheadTerm, Section, Tag
from frontcache import schedule
from workflow.services import article_save

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
_counter = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    """The test client and the live server speak plain HTTP: no redirect to HTTPS. Session-wide,
    so it is in place before the (session) live server builds its middleware."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    # Feeds and sitemaps link on the site's domain, kept on SITE_DOMAIN by every migrate and
    # flush: the test client's host.
    settings.SITE_DOMAIN = "testserver"


@pytest.fixture(autouse=True)
def _warm_site_cache(request, _django_clear_site_cache):
    """Load the sites framework's one Site, as a server process does once, after pytest-django
    empties that per-process cache for each test: query budgets are measured warm."""
    fixtures = set(request.fixturenames)
    uses_db = bool(
        request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & fixtures
    )
    if not uses_db and not {"client", "admin_client", "live_server"} & fixtures:
        return
    from django.contrib.sites.models import Site
    from django.db import connection

    request.getfixturevalue("django_db_setup")  # the test database, never the real one
    with request.getfixturevalue("django_db_blocker").unblock():
        Site.objects.get_current()
        if not uses_db:
            # No database fixture of this test will close the connection the lookup opened;
            # left open, it keeps the test database from being dropped at the end of the run.
            connection.close()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.NEWSPAPER_NAME = "صحيفة الاختبار"
    # A private memory cache, emptied per test: cached blocks never leak between tests, and
    # clearing it can never touch a shared Redis.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    cache.clear()
    # A running site looks up its next scheduled change once per edit, not per page
    # (frontcache/schedule.py): tests start with it known, and none due, so query budgets count
    # a page's own queries. An edit committed in a test (on-commit callbacks run) moves the
    # stamp and the next page looks it up, as in production.
    cache.set_many({schedule.STAMP_KEY: 1, schedule.NEXT_KEY: {"stamp": 1, "at": None}}, None)


@pytest.fixture
def make_section(db):
    def make(**overrides):
        number = next(_counter)
        fields = {"name": f"قسم {number}", "slug": f"قسم-{number}", **overrides}
        return Section.objects.create(**fields)

    return make


@pytest.fixture
def make_author(db):
    def make(**overrides):
        number = next(_counter)
        fields = {"name": f"كاتب رقم {number}", "slug": f"كاتب-{number}", **overrides}
        return Author.objects.create(**fields)

    return make


@pytest.fixture
def make_article(db, make_section):
    def make(*, authors=(), tags=(), **overrides):
        fields = {
            "headline": f"عنوان خبر رقم {next(_counter)}",
            "body": "<p>فقرة أولى.</p><p>فقرة ثانية.</p>",
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - datetime.timedelta(hours=1),
            **overrides,
        }
        if "section" not in fields:
            fields["section"] = make_section()
        # As the desk and the commands do: one save with its byline, tags and search document.
        return article_save(article=Article(**fields), authors=authors, tags=tags)

    return make


@pytest.fixture
def make_tag(db):
    def make(name, **overrides):
        return Tag.objects.create(name=name, **overrides)

    return make


@pytest.fixture
def roles(db):
    """The two roles the data migration creates, by short name.

    Created again if missing: a transactional test (live server, threads) flushes every table,
    data migrations' rows included, for the tests that run after it.
    """
    return {
        "chairman": MastheadRole.objects.get_or_create(
            title="رئيس مجلس الإدارة", defaults={"position": 10}
        )[0],
        "editor": MastheadRole.objects.get_or_create(
            title="رئيس التحرير", defaults={"position": 20}
        )[0],
    }


@pytest.fixture
def make_term(db):
    def make(role, person_name, starts_on, ends_on=None):
        return MastheadTerm.objects.create(
            role=role, person_name=person_name, starts_on=starts_on, ends_on=ends_on
        )

    return make


@pytest.fixture
def staff_client(client, django_user_model):
    """A logged-in staff member allowed to work on articles, authors and tags, not a superuser."""
    user = django_user_model.objects.create_user(
        username="desk", password="desk-password", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles",
            content_type__model__in=["article", "byline", "author", "tag", "section"],
        )
    )
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def make_user(db, django_user_model, make_author):
    """A staff member in one of the newsroom's roles: "writer", "editor" or "admin".

    A writer gets an Author linked to their login, as the newsroom sets them up.
    """
    from django.contrib.auth.models import Group

    from workflow.roles import ADMIN, EDITOR, WRITER, apply_roles

    groups = {"writer": WRITER, "editor": EDITOR, "admin": ADMIN}

    def make(role, **overrides):
        if not Group.objects.filter(name__in=groups.values()).count() == len(groups):
            apply_roles(Group, Permission)  # a flushed (transactional) test database
        fields = {"username": f"{role}-{next(_counter)}", "is_staff": True, **overrides}
        user = django_user_model.objects.create_user(password="secret-password", **fields)
        user.groups.add(Group.objects.get(name=groups[role]))
        if role == "writer":
            make_author(user=user, name=f"الكاتب {user.username}")
        return user

    return make


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's Chromium for Playwright. Outside CI a machine without it skips browser tests
    with a clear message; in CI (``CI`` set, as ``.ci/run`` does) its absence is a failure."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    message = f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One headless Chromium for the whole run (tests open their own contexts in it).

    Playwright's sync API keeps an event loop running while the browser is open, and Django
    refuses ORM calls while a loop runs in the thread (SynchronousOnlyOperation). The tests call
    the ORM only between browser steps, never from inside the loop, so that check is switched
    off, as Playwright's guidance for Django does.
    """
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A read replica alias for the router tests: the same test database, as a mirror."""
    from django.conf import settings

    if "replica1" not in settings.DATABASES:
        settings.DATABASES["replica1"] = {
            **settings.DATABASES["default"],
            "TEST": {"MIRROR": "default"},
        }


REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def real_redis(settings):
    """The shared Redis under a key prefix of this test; its keys are removed afterwards."""
    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    yield caches["default"]
    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)

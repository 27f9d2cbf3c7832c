"""Secure defaults, login lockouts and rate limits."""

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

from axes.models import AccessAttempt
from django.core.cache import cache
from django.template import loader

from core import ratelimit
from core.security import client_ip

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_in_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' harness setting, never production's.
        if key
        not in {
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "CSRF_COOKIE_SECURE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        SECRET_KEY="x" * 20 + "-a-long-random-production-key-" + "y" * 20,
        ALLOWED_HOSTS="news.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (1 silenced)" in result.stdout


def test_reader_pages_carry_the_security_headers(client, make_article, settings):
    article = make_article()
    response = client.get(article.get_absolute_url(), secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    # django-csp writes the directives in an order that changes from one process to the next.
    directives = {part.strip() for part in csp.split(";")}
    assert "script-src 'self'" in directives
    assert "unsafe-inline" not in csp and "nonce-" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    # No inline script code, style attribute or event handler in a reader page.
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/ld\+json\"))", html)
    assert not re.search(r"\sstyle=|\son[a-z]+=", html)


def test_the_admin_gets_its_own_looser_policy(admin_client):
    csp = admin_client.get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'self'" in csp


def test_cookies_are_secure_httponly_and_samesite(client, settings, django_user_model):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    django_user_model.objects.create_user("c", password="pw-cookie-1", is_staff=True)
    page = client.get("/admin/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/admin/login/", {"username": "c", "password": "pw-cookie-1", "next": "/admin/"}
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_the_error_page_style_is_allowed_by_its_hash(settings):
    html = loader.get_template("503.html").render()
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    assert css in loader.get_template("500.html").render()


# -- lockouts -------------------------------------------------------------------------------


def _fail_login(client, username, address):
    return client.post(
        "/admin/login/",
        {"username": username, "password": "wrong", "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_a_user_is_locked_out_after_repeated_failures_from_any_address(
    client, django_user_model, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user("desk", password="right-password-1", is_staff=True)
    for number in range(3):
        _fail_login(client, "desk", f"10.0.0.{number + 1}")
    response = client.post(
        "/admin/login/",
        {"username": "desk", "password": "right-password-1", "next": "/admin/"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 429
    assert "أُوقف الدخول مؤقتًا" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_out_whatever_the_user(client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user("other", password="right-password-2", is_staff=True)
    for number in range(3):
        _fail_login(client, f"guess{number}", "10.0.1.1")
    response = client.post(
        "/admin/login/",
        {"username": "other", "password": "right-password-2", "next": "/admin/"},
        REMOTE_ADDR="10.0.1.1",
    )
    assert response.status_code == 429
    # The same user from another address still gets in.
    response = client.post(
        "/admin/login/",
        {"username": "other", "password": "right-password-2", "next": "/admin/"},
        REMOTE_ADDR="10.0.1.2",
    )
    assert response.status_code == 302


def test_an_admin_unlocks_from_the_admin(client, admin_client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 2
    django_user_model.objects.create_user("locked", password="right-password-3", is_staff=True)
    for _ in range(2):
        _fail_login(client, "locked", "10.0.2.1")
    attempt = AccessAttempt.objects.get(username="locked")
    changelist = admin_client.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200 and "locked" in changelist.content.decode()
    admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    response = client.post(
        "/admin/login/",
        {"username": "locked", "password": "right-password-3", "next": "/admin/"},
        REMOTE_ADDR="10.0.2.1",
    )
    assert response.status_code == 302


def test_the_client_address_comes_from_the_proxy_header_only_when_configured(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.CLIENT_IP_HEADER = ""
    assert client_ip(request) == "127.0.0.1"
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_ip(request) == "203.0.113.7"  # the forged first entry is ignored
    garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert client_ip(garbage) == "127.0.0.1"


# -- rate limits ----------------------------------------------------------------------------


def test_search_is_rate_limited_per_address_with_an_arabic_429(
    client, db, settings, django_assert_num_queries
):
    settings.RATELIMIT_SEARCH = "3/60"
    for _ in range(3):
        assert client.get("/search/", {"q": "خبر"}, REMOTE_ADDR="10.1.0.1").status_code == 200
    with django_assert_num_queries(0):  # refused before sessions, views or context processors
        response = client.get("/search/", {"q": "خبر"}, REMOTE_ADDR="10.1.0.1")
    assert response.status_code == 429
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 0 < int(response["Retry-After"]) <= 60
    assert "طلبات كثيرة" in response.content.decode()
    assert client.get("/search/", {"q": "خبر"}, REMOTE_ADDR="10.1.0.2").status_code == 200


def test_share_previews_are_rate_limited(client, db, settings):
    settings.RATELIMIT_PREVIEW = "2/60"
    for _ in range(2):
        assert client.get("/preview/share/bad-token/", REMOTE_ADDR="10.2.0.1").status_code == 404
    assert client.get("/preview/share/bad-token/", REMOTE_ADDR="10.2.0.1").status_code == 429


def test_the_window_resets(db, settings):
    assert ratelimit.hit("t", "10.3.0.1", "1/60", now=120) == (True, 60)
    assert ratelimit.hit("t", "10.3.0.1", "1/60", now=150) == (False, 30)
    assert ratelimit.hit("t", "10.3.0.1", "1/60", now=180)[0] is True


def test_rate_limits_let_requests_through_when_the_cache_is_down(client, db, settings):
    # A real Redis client against a port where nothing listens: every cache call fails.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.RATELIMIT_SEARCH = "1/60"
    cache.close()
    for _ in range(3):
        assert client.get("/search/", {"q": "خبر"}).status_code == 200


def test_no_reader_template_has_inline_code_or_styles(
    client, make_article, make_author, make_tag, settings
):
    author, tag = make_author(), make_tag("وسم")
    article = make_article(authors=[author], tags=[tag], summary="ملخص")
    year = article.published_at.year
    pages = [
        "/", "/latest/", article.get_absolute_url(), author.get_absolute_url(),
        tag.get_absolute_url(), article.section.get_absolute_url(), "/search/?q=عنوان",
        "/search/?q=لاشيء", f"/archive/{year}/", "/no-such-page/",
    ]  # fmt: skip
    for url in pages:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/ld\+json\"))", html), url
        assert not re.search(r"\sstyle=|\son[a-z]+=|javascript:", html), url

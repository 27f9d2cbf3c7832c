"""Settings for Newsroom, read from the environment (see README.md and .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from workflow.roles import ROLE_KEYS

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Production is the default: DEBUG must be switched on explicitly for local work.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    # Old addresses that keep working (articles/redirects.py); redirects need the sites framework.
    "django.contrib.sites",
    "django.contrib.redirects",
    "ckeditor",
    "ckeditor_uploader",
    "core",
    "articles",
    "frontpage",
    "reversion",
    "workflow",
    "photos",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "api",
    "frontcache",
    "audit",
    "operations",
    "benchmarks",
]

# The sites framework's one site: contrib.redirects keys its rows on it, and feeds and sitemaps
# build their absolute links on its domain (the canonical host, whatever Host a request sent).
# Kept in step with SITE_DOMAIN after every migrate (core/apps.py); admins may also edit it.
SITE_ID = 1
SITE_DOMAIN = os.environ.get(
    "SITE_DOMAIN",
    "127.0.0.1:8000"
    if DEBUG
    else next((host for host in ALLOWED_HOSTS if host[0] not in ".*["), "localhost"),
)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS for the API only (CORS_URLS_REGEX); before anything that can answer a request.
    "corsheaders.middleware.CorsMiddleware",
    # Content-Security-Policy on every response, cached ones included (no nonces: see below).
    "core.security.NewsroomCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early: rate limits run before any session or database work.
    "core.ratelimit.RateLimitMiddleware",
    # Reader pages read from a replica (DATABASE_REPLICA_URLS).
    "core.db_router.ReplicaRoutingMiddleware",
    # What Varnish or a CDN may keep and for how long, with the surrogate keys that purge it
    # (frontcache/middleware.py). Inside the replica routing, so a reader page's lookup of the
    # next scheduled change reads the replica too; outside sessions and CSRF, so it sees the
    # cookies they set.
    "frontcache.middleware.FrontCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor login (core/otp.py): marks sessions verified by a code, then sends staff
    # whose role requires it (OTP_REQUIRED_FOR) to enrol before anything else.
    "django_otp.middleware.OTPMiddleware",
    "core.otp.TwoFactorRequiredMiddleware",
    # After authentication: the audit trail (audit/) names the user whose request changed a row.
    "audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A 404 whose path was an old address (a renamed section, tag or author, an imported
    # article's address in the old CMS) answers a permanent redirect (articles/redirects.py).
    "articles.redirects.LocalRedirectFallbackMiddleware",
    # Last: django-axes refuses logins from locked-out users and addresses.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out user or address is refused before the password is even checked.
    "core.security.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.newspaper",
                "frontpage.context_processors.breaking_news",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default="postgres://postgres@127.0.0.1:5432/newsroom",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Fail fast when PostgreSQL is unreachable: a 503 in seconds, not a hung worker.
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
    os.environ.get("DB_CONNECT_TIMEOUT", "3")
)
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Newsroom runs on PostgreSQL only: DATABASE_URL must be postgres://")
# Read replicas (core/db_router.py): reader pages read from one of these, the rest from
# DATABASE_URL. Tests run them as mirrors of the primary.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{number}"] = {
        **dj_database_url.parse(
            url,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend reusing its client objects (core/redis.py), answering
            # like an empty cache while Redis is down (core/cache.py).
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down refuses at once; these only bound one that hangs. 0.5 s
            # declared a loaded but healthy Redis unavailable (issue 15): 64 threads of GET/SET
            # of 30 KB values through this backend on a busy 2-core machine (load 12) took
            # median 4.8 ms, p99.9 135 ms, max 462 ms. 2 s is four times that worst case.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
            # Several sites (or `make serve` beside a dev server) may share one Redis.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public reader pages (URL names): the same answer for every anonymous reader, so a shared
# cache may keep them and, without a session cookie, they may read from a replica
# (core/reader_pages.py).
READER_PAGES = frozenset(
    f"articles:{name}"
    for name in (
        "latest detail detail-short author-detail section-detail tag-detail search feed "
        "feed-atom section-feed section-feed-atom tag-feed tag-feed-atom author-feed "
        "author-feed-atom sitemap sitemap-news sitemap-section robots archive-year "
        "archive-month archive-day"
    ).split()
) | {"frontpage:home"}
# Cache-Control for Varnish and a CDN (frontcache/middleware.py): s-maxage, the longest a shared
# cache keeps a page, and stale-while-revalidate. A day is safe because an edit purges exactly
# the pages it changed (frontcache/purge.py) and a page never outlives the next scheduled
# change; only what changes with no edit or schedule (a 404, the most-read block) is kept less.
FRONT_CACHE_SECONDS = int(os.environ.get("FRONT_CACHE_SECONDS", "86400"))
FRONT_CACHE_STALE_SECONDS = int(os.environ.get("FRONT_CACHE_STALE_SECONDS", "10"))
# Exact purges (frontcache/): the Varnish nodes an edit's surrogate keys are purged from
# (comma-separated URLs, e.g. http://127.0.0.1:6081/; empty: off), the timeout of one PURGE
# (seconds), and the first retry delay of a failed purge, doubled per attempt up to 5 minutes,
# which is also how often a request may retry pending purges.
FRONT_CACHE_PURGE_URLS = env_list("FRONT_CACHE_PURGE_URLS")
FRONT_CACHE_PURGE_TIMEOUT = float(os.environ.get("FRONT_CACHE_PURGE_TIMEOUT", "1"))
FRONT_CACHE_RETRY_SECONDS = int(os.environ.get("FRONT_CACHE_RETRY_SECONDS", "10"))
# The surrogate keys for a CDN too, beside Varnish's xkey: "surrogate-key" (Fastly, space-
# separated) and/or "cache-tag" (Cloudflare, comma-separated); empty: xkey only.
SURROGATE_KEY_HEADERS = [name.lower() for name in env_list("SURROGATE_KEY_HEADERS")]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ar"
# Our corrections to Django's own Arabic messages (locale/ar/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Arabic-ordered date-and-time formats where Django's "ar" locale has none.
FORMAT_MODULE_PATH = ["newsroom.formats"]
LANGUAGES = [("ar", "العربية")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Africa/Cairo")
USE_I18N = True
USE_TZ = True

# The newspaper's name: the admin's title, the site header and the feeds.
NEWSPAPER_NAME = os.environ.get("NEWSPAPER_NAME", "صحيفة الغد")
# Section given to imported legacy articles that name none.
LEGACY_IMPORT_SECTION = os.environ.get("LEGACY_IMPORT_SECTION", "أخبار")

# Editorial workflow: share-preview links (default and longest life, in hours), how long an
# open article form counts as "being edited", and how often the form autosaves (seconds).
PREVIEW_LINK_HOURS = int(os.environ.get("PREVIEW_LINK_HOURS", "48"))
PREVIEW_LINK_MAX_HOURS = int(os.environ.get("PREVIEW_LINK_MAX_HOURS", "720"))
EDIT_PRESENCE_SECONDS = int(os.environ.get("EDIT_PRESENCE_SECONDS", "180"))
AUTOSAVE_INTERVAL_SECONDS = int(os.environ.get("AUTOSAVE_INTERVAL_SECONDS", "20"))

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers and cookies (README, "Security"). Production (DEBUG off) gets them all.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# The admin reads the CSRF token from the form, never from the cookie (CKEditor's upload
# header takes it from the page too), so scripts need no access to the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page is ever framed by another site; CKEditor's editing area is an about:blank frame of
# its own page, which neither X-Frame-Options nor frame-ancestors restricts.
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# HSTS: a year by default in production, subdomains included, with the preload flag (which
# only allows submitting the domain to browsers' preload lists; submitting is a separate,
# deliberate step that is hard to undo: see README). Turn both off while any subdomain still
# serves plain HTTP.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The request header that holds the reader's address when a proxy stands in front (as a
# request.META key, e.g. HTTP_X_FORWARDED_FOR or HTTP_X_REAL_IP); empty: the socket's address.
# Only the last address in it is used: the one the newsroom's own proxy wrote.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

# Content-Security-Policy (django-csp 4). Reader pages allow nothing inline: no scripts, no
# style attributes, no nonces (a whole cached page would carry a frozen nonce); a hash is the
# way to allow one fixed inline block (the stand-alone error pages' style, below).
CSP_EXTRA_IMG_SRC = env_list("CSP_EXTRA_IMG_SRC")  # e.g. the media host when photos are on S3
# sha256 of the <style> block of templates/500.html and 503.html (a test keeps it in step).
ERROR_PAGE_STYLE_HASH = "'sha256-C7UBdDr6Xjybp+Ey02WKVBvEJwD6HgGc8db76bm3s5g='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", ERROR_PAGE_STYLE_HASH],
        "img-src": ["'self'", *CSP_EXTRA_IMG_SRC],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
    }
}
# The admin runs CKEditor 4, which sets style attributes and wires its toolbar with inline
# event handlers (onclick="CKEDITOR.tools.callFunction(...)"), checked in Chromium by
# tests/test_security_browser.py: only the admin (staff behind a login) gets 'unsafe-inline';
# still no eval, no other origin, no framing by other sites.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *CSP_EXTRA_IMG_SRC],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
ADMIN_URL_PREFIXES = ["/admin/", "/ckeditor/"]

# django-axes: after AXES_FAILURE_LIMIT failed logins a user name, and separately an address,
# is locked out for AXES_COOLOFF_HOURS; admins unlock in the admin («محاولات الدخول الفاشلة»).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_RESET_ON_SUCCESS = True
# No "AXES: BEGIN ..." banner on every manage.py command; lockouts are still logged.
AXES_VERBOSE = False
# Issuer shown in staff members' authenticator apps next to their TOTP entry.
OTP_TOTP_ISSUER = NEWSPAPER_NAME
# Roles (admin, editor, writer) that must log in with a second factor: they enrol at their
# next login before anything else (core/otp.py). Superusers count as admins.
OTP_REQUIRED_FOR = env_list("OTP_REQUIRED_FOR")
if unknown := set(OTP_REQUIRED_FOR) - set(ROLE_KEYS):
    raise ImproperlyConfigured(
        f"OTP_REQUIRED_FOR: unknown roles {sorted(unknown)}; use {', '.join(ROLE_KEYS)}."
    )
OTP_REQUIRED_GROUPS = [ROLE_KEYS[key] for key in OTP_REQUIRED_FOR]
OTP_REQUIRED_FOR_SUPERUSERS = "admin" in OTP_REQUIRED_FOR
# Secrets and recovery codes stay with their owner: the admin shows neither to anyone.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Rate limits per client address (core/ratelimit.py): requests per window of seconds.
# The counters live in the cache; when the cache is down every request is let through.
RATELIMIT_SEARCH = os.environ.get("RATELIMIT_SEARCH", "30/60")
RATELIMIT_PREVIEW = os.environ.get("RATELIMIT_PREVIEW", "20/60")
# The read beacon (frontpage/reads.py): beacons per address and window over all articles, a
# generous allowance for readers behind one shared address (an office, a mobile carrier).
READ_BEACON_RATE = os.environ.get("READ_BEACON_RATE", "120/60")
# Which views are limited: URL name -> the setting that holds its rate.
RATELIMITS = {
    "articles:search": "RATELIMIT_SEARCH",
    "workflow:share-preview": "RATELIMIT_PREVIEW",
    "frontpage:read-beacon": "READ_BEACON_RATE",
}
# Read counter: one address counts at most one read of an article per READ_DEDUP_SECONDS; reads
# buffered in Redis are written to PostgreSQL every READS_FLUSH_SECONDS, which is also the most
# a Redis restart can lose (manage.py flush_reads --help).
READ_DEDUP_SECONDS = int(os.environ.get("READ_DEDUP_SECONDS", "600"))
READS_FLUSH_SECONDS = int(os.environ.get("READS_FLUSH_SECONDS", "60"))

# Photos (see photos/images.py): every upload is decoded and re-encoded within these limits.
NEWSROOM_MAX_UPLOAD_BYTES = int(os.environ.get("NEWSROOM_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# 50 megapixels holds any newsroom camera (8256x5504 is 45); a 30000x30000 "bomb" is refused.
NEWSROOM_MAX_IMAGE_PIXELS = int(os.environ.get("NEWSROOM_MAX_IMAGE_PIXELS", 50_000_000))
# Photos in article bodies are served as stored, so wider uploads are scaled down to this.
NEWSROOM_INLINE_IMAGE_MAX_WIDTH = int(os.environ.get("NEWSROOM_INLINE_IMAGE_MAX_WIDTH", 1600))

CKEDITOR_BASEPATH = f"/{STATIC_URL}ckeditor/ckeditor/"
CKEDITOR_UPLOAD_PATH = "uploads/"
CKEDITOR_ALLOW_NONIMAGE_FILES = False
CKEDITOR_IMAGE_BACKEND = "pillow"
CKEDITOR_CONFIGS = {
    "default": {
        "language": "ar",
        "contentsLanguage": "ar",
        "contentsLangDirection": "rtl",
        # The bundled CKEditor 4.22 would otherwise warn editors on every load that it is
        # out of support; readers are protected by the server-side sanitiser instead.
        "versionCheck": False,
        "height": 420,
        "width": "100%",
        # The body grows with the text, as in a word processor, instead of scrolling inside
        # a fixed box; the page scrolls and the side column stays beside it.
        "extraPlugins": "autogrow",
        "autoGrow_minHeight": 420,
        "autoGrow_onStartup": True,
        "autoGrow_bottomSpace": 40,
        "format_tags": "p;h2;h3;h4",
        "toolbar": "News",
        "toolbar_News": [
            ["Format"],
            ["Bold", "Italic", "Underline", "RemoveFormat"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink"],
            ["Image", "Table"],
            ["Undo", "Redo"],
            ["Source", "Maximize"],
        ],
        "removePlugins": "exportpdf",
        # Uploads go to photos.views.upload by XMLHttpRequest with Django's CSRF token in a
        # header (set by this file); there is no server-side file browser.
        "customConfig": f"/{STATIC_URL}photos/ckeditor-config.js",
        "filebrowserUploadMethod": "xhr",
        "filebrowserBrowseUrl": "",
    }
}
# django-ckeditor bundles CKEditor 4, which is out of support (ckeditor.W001). Every body is
# cleaned by nh3 with a news allow-list in Article.save(), so nothing an editor's browser or a
# pasted page puts in the body reaches readers unsanitised.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]

# Read-only content API, /api/v1/ (app `api`, README «API»).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/minute")
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "60"))
API_CACHE_S_MAXAGE = int(os.environ.get("API_CACHE_S_MAXAGE", "300"))
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # Anonymous and read-only: no session or user lookup, so no query and no CSRF.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientAddressThrottle"],  # API_RATE_LIMIT
    # Proxies in front whose X-Forwarded-For is trusted for the client's address.
    "NUM_PROXIES": int(os.environ["API_NUM_PROXIES"])
    if os.environ.get("API_NUM_PROXIES")
    else None,
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom content API",
    "DESCRIPTION": "Read-only JSON: published articles, sections, tags, authors, masthead.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# CORS (django-cors-headers) on /api/ only, for reading: comma-separated origins, or "*".
_api_origins = env_list("API_CORS_ALLOWED_ORIGINS")
CORS_ALLOW_ALL_ORIGINS = _api_origins == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else _api_origins
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

"""Settings for Newsroom, read from the environment (see README.md and .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    "articles.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "ckeditor",
    "ckeditor_uploader",
    "articles",
    "frontpage",
    "reversion",
    "workflow",
    "photos",
    "pagecache",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a cached page for an anonymous reader costs no session or database work.
    "pagecache.middleware.PageCacheMiddleware",
    # Reader pages that were not in the cache read from a replica (DATABASE_REPLICA_URLS).
    "newsroom.db_router.ReplicaRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Newsroom runs on PostgreSQL only: DATABASE_URL must be postgres://")
# Read replicas (newsroom/db_router.py): reader pages read from one of these, the rest from
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
DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, reusing its client objects (see pagecache/redis.py).
            "BACKEND": "pagecache.redis.NewsroomRedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast when Redis is down: callers fall back to the database.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            # Several sites (or `make serve` beside a dev server) may share one Redis.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole-page cache for anonymous readers (pagecache/): exact invalidation needs a cache shared by
# every process, so it is on by default only with Redis; PAGE_CACHE=1 forces it on with the
# per-process memory cache (one process only: runserver, tests).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", bool(REDIS_URL))
# Longest life of a cached page; edits end it at once, scheduled changes at their time.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Cache-Control for nginx's micro-cache and a CDN: s-maxage (how long a shared cache may keep a
# page without asking; the only lag an edit can have) and stale-while-revalidate.
FRONT_CACHE_SECONDS = int(os.environ.get("FRONT_CACHE_SECONDS", "1"))
FRONT_CACHE_STALE_SECONDS = int(os.environ.get("FRONT_CACHE_STALE_SECONDS", "10"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ar"
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

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # CKEditor's dialogs frame admin pages of the same origin.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

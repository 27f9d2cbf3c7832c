"""Settings for an app server started by the fault tests: production settings, except that
static files are served unhashed (the tests run no collectstatic)."""

from newsroom.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

"""Read replicas: reader pages read from a replica, everything else uses the primary.

``DATABASE_REPLICA_URLS`` (comma-separated) adds the aliases ``replica1``, ``replica2``, …
(settings.py). ``ReplicaRoutingMiddleware`` marks a request as a reader request when it is a
GET/HEAD of a public reader page (``settings.READER_PAGES``, ``core.reader_pages``) without a
session cookie; only then may ``ReplicaRouter`` send reads to a replica, picked at random. The
admin, staff (who must see what they just saved), POSTs such as the read beacon, management
commands and anything else read from the primary, and so does every read after a write in the same
request (the replica may not have the write yet). Migrations run on the primary only.
"""

import contextvars
import random

from django.conf import settings

from .reader_pages import is_reader_page

_reader_request = contextvars.ContextVar("newsroom_reader_request", default=None)


class _ReaderRequest:
    """State of one reader request: may it read from a replica, has it written yet."""

    def __init__(self):
        self.wrote = False


def reader_request():
    """Context manager marking the code inside as a reader request (used by the middleware)."""

    class _Scope:
        def __enter__(self):
            self.token = _reader_request.set(_ReaderRequest())
            return self

        def __exit__(self, *exc):
            _reader_request.reset(self.token)

    return _Scope()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _reader_request.get()
        replicas = settings.DATABASE_REPLICAS
        if state is None or state.wrote or not replicas:
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        state = _reader_request.get()
        if state is not None:
            state.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.DATABASE_REPLICAS
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and is_reader_page(request)
        ):
            with reader_request():
                return self.get_response(request)
        return self.get_response(request)

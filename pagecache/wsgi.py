"""Cached pages answered at the WSGI layer, before Django's middleware stack.

A page-cache hit through the whole stack costs the request object, twenty middlewares and two
Redis round trips (the generation, then the page): most of the time of a cached page. This thin
WSGI application in front of Django's handler answers the common case itself:

- only GET/HEAD, only without a session cookie (staff never), only where Django would not first
  redirect to HTTPS (``SECURE_SSL_REDIRECT``);
- the key is built exactly as ``PageCacheMiddleware`` builds it (same host validation, same full
  path); the generation and the page come back in ONE round trip (``get_many``: Redis MGET), and
  the page is served only if it was stored under the current generation (exact invalidation)
  and marked for the shortcut (never a rate-limited view such as search, whose every request
  must be counted by ``RateLimitMiddleware``);
- it answers 304 with Django's own ``get_conditional_response`` and adds the headers of the
  middlewares outside the page cache (``SecurityMiddleware``: nosniff, Referrer-Policy, COOP,
  HSTS when secure; the Content-Security-Policy) as their own ``process_response`` computes
  them (once per kind of request, then remembered: building the policy costs more than the
  rest of a hit), so a hit carries exactly the headers a response from the full stack carries
  (tested);
- anything else, a miss, or any error: Django handles the request as usual; with
  ``PAGE_PUBLISH_ROOT`` set, a page the middleware marked publishable is then also written as a
  file with the headers it goes out with (``pagecache.publish``).

Written here because no maintained package serves Django's cache entries at the WSGI layer.
"""

import logging
from http.client import responses

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware

from core.security import NewsroomCSPMiddleware, is_admin_path

from . import generation, publish
from .middleware import PageCacheMiddleware, _thaw, page_key

logger = logging.getLogger(__name__)

CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _no_view(request):  # the outer middlewares below only ever add headers here
    raise AssertionError("not called")


class CachedPageApplication:
    def __init__(self, application):
        self.application = application
        # In the order Django runs their process_response (inner first).
        self.outer = [NewsroomCSPMiddleware(_no_view), SecurityMiddleware(_no_view)]
        self._outer_headers = {}

    def __call__(self, environ, start_response):
        try:
            answer = self.answer(environ)
        except DisallowedHost:
            answer = None  # Django answers 400 and logs it as usual
        except Exception:
            logger.warning("page cache shortcut failed; Django handles the request", exc_info=True)
            answer = None
        if answer is None:
            if not settings.PAGE_PUBLISH_ROOT:
                return self.application(environ, start_response)
            return self.render_and_publish(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def render_and_publish(self, environ, start_response):
        """Django's answer; a page the page cache marked publishable is also written as a file
        with the headers it goes out with (pagecache.publish)."""
        sent = []

        def remembered(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.application(environ, remembered)
        target = getattr(result, "publish_as", None)
        if target is not None and sent and sent[0].startswith("200 "):
            try:
                publish.publish(*target, sent[1], result.content)
            except Exception:
                logger.warning("page not published", exc_info=True)
        return result

    def answer(self, environ):
        """(status, headers, body) for a cached page, or None to let Django handle it."""
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or not settings.PAGE_CACHE_ENABLED:
            return None
        if not getattr(settings, "PAGE_CACHE_WSGI", True):
            return None
        cookies = environ.get("HTTP_COOKIE")
        # A copy: WSGIRequest writes the decoded path into the dict it is given, which Django's
        # handler must still find as the server wrote it when the request falls through.
        request = WSGIRequest(dict(environ))
        if cookies and settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None
        key = page_key(request)
        found = cache.get_many([generation.GENERATION_KEY, key])
        gen, entry = found.get(generation.GENERATION_KEY), found.get(key)
        if gen is None or entry is None or entry.get("generation") != gen:
            return None
        if not entry.get("shortcut"):
            return None
        conditional = any(name in environ for name in CONDITIONAL_HEADERS)
        if conditional or entry["status"] != 200:
            response = PageCacheMiddleware._conditional(request, _thaw(entry))
            status, headers = response.status_code, list(response.items())
        else:  # the common case, without building a response object
            status, headers = 200, list(entry["headers"])
        present = {name.lower() for name, _ in headers}
        for name, value in self.outer_headers(request, status):
            if name.lower() not in present:
                headers.append((name, value))
        body = b"" if method == "HEAD" or status == 304 else entry["content"]
        return f"{status} {responses[status]}", headers, body

    def outer_headers(self, request, status):
        """The headers the outer middlewares add to a thawed cached page, computed once.

        They depend only on whether the request is secure (HSTS), the status (django-csp skips
        some error pages with DEBUG on) and the admin's URLs (its own policy); each is added
        only where the page does not carry it already, as the middlewares themselves do.
        """
        memo = (request.is_secure(), status, is_admin_path(request.path_info))
        found = self._outer_headers.get(memo)
        if found is None:
            response = HttpResponse(status=status)
            before = set(response.headers)
            for middleware in self.outer:
                response = middleware.process_response(request, response)
            found = [(name, value) for name, value in response.items() if name not in before]
            self._outer_headers[memo] = found
        return found

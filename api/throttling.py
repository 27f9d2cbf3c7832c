"""Rate limit per client address (``API_RATE_LIMIT``), counted in Django's cache (Redis in
production, so every app server shares the count). DRF's ``SimpleRateThrottle`` does the
counting and the ``Retry-After`` header; the client's address is DRF's ``get_ident``
(``REMOTE_ADDR``, or ``X-Forwarded-For`` behind ``API_NUM_PROXIES`` trusted proxies)."""

import logging

from django.conf import settings
from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class ClientAddressThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read at each request (DRF's own lookup is fixed when the class is imported).
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        # The site keeps serving when Redis is down; so does the API, unthrottled meanwhile.
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            logger.warning("API rate limit skipped: the cache is unavailable", exc_info=True)
            return True

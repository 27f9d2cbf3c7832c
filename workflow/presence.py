"""Who has an article's form open: a short-lived entry per article in the shared cache.

The open form pings every minute; an editor who stopped pinging drops out after
EDIT_PRESENCE_SECONDS. The cache (Redis in production) is shared by every app server.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def _key(article_id):
    return f"workflow:editing:{article_id}"


def touch(article_id, user):
    """Record that ``user`` has the article open; return the names of the others who do."""
    now = timezone.now().timestamp()
    window = settings.EDIT_PRESENCE_SECONDS
    editors = {
        user_id: entry
        for user_id, entry in (cache.get(_key(article_id)) or {}).items()
        if now - entry["seen"] < window
    }
    editors[user.pk] = {"name": user.get_full_name() or user.get_username(), "seen": now}
    cache.set(_key(article_id), editors, timeout=window)
    return sorted(entry["name"] for user_id, entry in editors.items() if user_id != user.pk)

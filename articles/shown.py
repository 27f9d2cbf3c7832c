"""What a response shows, recorded by the view that renders it.

Caches in front of the app (Varnish, a CDN) purge a page when something it shows changes, so
each view names what it shows: model instances (an article, a section, a tag, an author), a
listing of one of them (``("listing", section)``) and the names of the blocks and listings it
draws ("home", "masthead", ...). This module only records them on the request: it knows no
model and no key. ``frontcache.keys`` turns what was recorded into surrogate keys, and its
middleware sends them; views below that layer (articles) cannot import it, hence this neutral
record.
"""


def shows(request, *things):
    """Record ``things`` as shown by the response to ``request``. Costs no query: the caller
    passes objects it already loaded."""
    # A REST framework request wraps Django's: the middleware sees only the inner one.
    request = getattr(request, "_request", request)
    request.__dict__.setdefault("shown", []).extend(things)


def shown(request):
    """What the view recorded for ``request``, in order (empty if it recorded nothing)."""
    return request.__dict__.get("shown", ())

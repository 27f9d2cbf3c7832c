"""The front cache's side of the app (issue 15): surrogate keys and exact purges.

It owns the surrogate keys every cacheable response carries (``keys``: the one module that
names them; ``middleware``: sends them as ``xkey`` for Varnish and, if configured,
``Surrogate-Key`` / ``Cache-Tag`` for a CDN) and the purges an edit causes (``purge``: keys
from the "changed" notifications of ``articles.events``, a durable ``PurgeRequest`` per write,
one PURGE per Varnish node, retried with backoff until done). Views record what they show
through ``articles.shown``; nothing here changes what a page contains.
"""

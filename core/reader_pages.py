"""Which requests are public reader pages: the same answer for every anonymous reader.

A shared cache in front (Varnish, a CDN) may keep these (frontcache/middleware.py), and the
replica router lets only these read from a replica.
The list itself names views of the apps above, so it lives in settings (``READER_PAGES``, URL
names); this module only answers the question for a request.
"""

from django.conf import settings
from django.urls import Resolver404, resolve


def reader_view_name(request):
    """The URL name of a public reader page, or None for any other request."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name if match.view_name in settings.READER_PAGES else None


def is_reader_page(request):
    return reader_view_name(request) is not None

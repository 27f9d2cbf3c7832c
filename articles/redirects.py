"""Old addresses that keep working, through Django's own ``django.contrib.redirects``.

A section, tag or author whose slug changes, and an article imported from the old CMS with its
old address, leave a permanent redirect behind. Paths are stored as IRIs (Arabic letters as
they are, not percent-encoded): ``Redirect.old_path`` holds 200 characters, which an encoded
Arabic slug (six characters a letter) would overrun.
"""

import logging
from urllib.parse import urlsplit

from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.contrib.redirects.models import Redirect
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponsePermanentRedirect
from django.utils.encoding import iri_to_uri, uri_to_iri

logger = logging.getLogger(__name__)

MAX_PATH = Redirect._meta.get_field("old_path").max_length


def is_local_path(path):
    """Whether ``path`` stays on this site: ``/x/y/``, never ``//host``, a scheme or ``\\``."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return False
    if any(ord(character) < 32 or ord(character) == 127 for character in path):
        return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc


def clean_path(path, *, label):
    """Return ``path`` as a stored IRI path, or raise ValidationError in Arabic."""
    path = uri_to_iri((path or "").strip())
    if not is_local_path(path):
        raise ValidationError(
            f"{label} يجب أن يكون مسارًا داخل الموقع يبدأ بـ «/» (مثل /news/12/)، لا عنوانًا "
            "لموقع آخر."
        )
    if len(path) > MAX_PATH:
        raise ValidationError(f"{label} أطول من {MAX_PATH} حرفًا.")
    return path


@transaction.atomic
def redirect_record(*, site, old_path, new_path):
    """Send ``old_path`` permanently to ``new_path``, collapsing chains; return the redirect.

    Whatever pointed at ``old_path`` now points straight at ``new_path`` (one hop, never a
    chain), and a redirect away from ``new_path`` is dropped: that address is live again.
    """
    old_path = clean_path(old_path, label="العنوان القديم")
    new_path = clean_path(new_path, label="العنوان الجديد")
    if old_path == new_path:
        return None
    Redirect.objects.filter(site=site, old_path=new_path).delete()
    Redirect.objects.filter(site=site, new_path=old_path).update(new_path=new_path)
    redirect, _ = Redirect.objects.update_or_create(
        site=site, old_path=old_path, defaults={"new_path": new_path}
    )
    return redirect


class LocalRedirectFallbackMiddleware(RedirectFallbackMiddleware):
    """contrib's fallback, matching IRI paths and refusing to send a reader off the site."""

    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        full_path = uri_to_iri(request.get_full_path())
        candidates = [full_path]
        if not request.path.endswith("/"):
            candidates.append(uri_to_iri(request.get_full_path(force_append_slash=True)))
        site = get_current_site(request)
        found = {
            redirect.old_path: redirect
            for redirect in Redirect.objects.filter(site=site, old_path__in=candidates)
        }
        redirect = next((found[path] for path in candidates if path in found), None)
        if redirect is None:
            return response
        if redirect.new_path == "":
            return self.response_gone_class()
        if not is_local_path(redirect.new_path):
            # Only a row written around the admin's form can get here; a 404 is the safe answer.
            logger.warning("redirect %s -> %s points off the site; ignored", redirect.old_path,
                           redirect.new_path)  # fmt: skip
            return response
        return HttpResponsePermanentRedirect(iri_to_uri(redirect.new_path))

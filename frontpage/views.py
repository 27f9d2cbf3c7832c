from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsroom.security import client_ip

from .reads import record_read


# The beacon has no body, changes nothing but a counter and returns nothing, so a forged
# cross-site request can do no more than any reader's browser may; requiring a CSRF token
# would need a cookie, which the counter must not set. The client's address is used only for
# the rate limit (RATELIMITS) and the dedup, both as a hash in a key that soon expires; no
# session, no user agent, nothing about the reader is stored.
@csrf_exempt
@require_POST
@never_cache
def read_beacon(request, pk):
    """Count one read of article ``pk`` (sent by static/js/read-beacon.js)."""
    if not record_read(article_id=pk, address=client_ip(request)):
        raise Http404("لا يوجد مقال منشور بهذا الرقم.")
    return HttpResponse(status=204)

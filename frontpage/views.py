from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .services import read_record


# The beacon has no body, changes nothing but a counter and returns nothing, so a forged
# cross-site request can do no more than any reader's browser may; requiring a CSRF token
# would need a cookie, which the counter must not set. No session, no IP, no user agent is
# looked at or stored.
@csrf_exempt
@require_POST
@never_cache
def read_beacon(request, pk):
    """Count one read of article ``pk`` (sent by static/js/read-beacon.js)."""
    if not read_record(article_id=pk):
        raise Http404("لا يوجد مقال منشور بهذا الرقم.")
    return HttpResponse(status=204)

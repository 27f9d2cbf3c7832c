"""Every API error is JSON ``{"status", "code", "message", "fields"?}`` with an Arabic message."""

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from rest_framework import exceptions
from rest_framework.views import exception_handler

MESSAGES = {
    "invalid": "معاملات الطلب غير صالحة.",
    "not_found": "لا يوجد ما تطلبه.",
    "method_not_allowed": "هذه الواجهة للقراءة فقط: تقبل GET وHEAD وOPTIONS.",
    "not_acceptable": "الواجهة تجيب بصيغة JSON فقط (application/json).",
    "parse_error": "تعذّرت قراءة الطلب.",
}


def _throttled(exc):
    wait = max(1, round(exc.wait or 1))
    return f"طلبات كثيرة من عنوانك. أعد المحاولة بعد {wait} ثانية."


def api_exception_handler(exc, context):
    """DRF's handler (status, headers such as Retry-After), with our body."""
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500 handling and logging take it
    body = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        body.update(code="invalid", message=MESSAGES["invalid"])
        if isinstance(exc.detail, dict):
            body["fields"] = {
                name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
                for name, msgs in exc.detail.items()
            }
    elif isinstance(exc, exceptions.Throttled):
        body.update(code="throttled", message=_throttled(exc))
    elif isinstance(exc, exceptions.NotFound):
        detail = str(exc.detail)
        # Our own 404s carry an Arabic sentence; DRF's default English one is replaced.
        custom = detail != str(exceptions.NotFound.default_detail) and detail != "Not found."
        body.update(code="not_found", message=detail if custom else MESSAGES["not_found"])
    elif isinstance(exc, exceptions.MethodNotAllowed):
        body.update(code="method_not_allowed", message=MESSAGES["method_not_allowed"])
    elif isinstance(exc, exceptions.NotAcceptable):
        body.update(code="not_acceptable", message=MESSAGES["not_acceptable"])
    elif isinstance(exc, exceptions.ParseError):
        body.update(code="parse_error", message=MESSAGES["parse_error"])
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body.update(code=str(code), message=str(getattr(exc, "detail", exc)))
    response.data = body
    response["Cache-Control"] = "no-store"
    return response


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404 rather than the site's HTML page.

    This catch-all resolves every path, so Django's APPEND_SLASH never sees a miss; an address
    that only lacks its final slash (``/api/v1/articles``) is redirected here instead."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    response = JsonResponse(
        {"status": 404, "code": "not_found", "message": "لا توجد واجهة بهذا العنوان."},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"
    return response

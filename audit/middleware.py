import contextvars

_request = contextvars.ContextVar("audit_request", default=None)


def current_request():
    """The request being served by this thread or task, if any."""
    return _request.get()


class AuditActorMiddleware:
    """Make the request (and so its user) known to the audit trail's signal handlers.

    A context variable rather than a thread-local: it is right for threads and async tasks
    alike, and reset when the response leaves, so nothing leaks into the next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)

"""The answer when the database is unreachable: a short Arabic 503, at once, instead of a 500.

Django calls ``handler500`` for any exception a view or a middleware raised; while PostgreSQL
restarts, that is psycopg2's OperationalError or InterfaceError. Connections are health-checked
before reuse (``conn_health_checks``), so the next request after the restart connects afresh:
the app recovers without a restart. The page is rendered without the database or any
context processor.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 10


@requires_csrf_token
def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())

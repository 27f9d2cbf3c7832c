"""Security helpers: the admin's own Content-Security-Policy and the client's address."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


class NewsroomCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``ADMIN_CONTENT_SECURITY_POLICY`` under the admin's URLs.

    Reader pages keep the strict ``CONTENT_SECURITY_POLICY``; only the admin (CKEditor 4) needs
    inline styles. django-csp documents subclassing ``get_policy_parts`` for this.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts = PolicyParts(
                default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]),
                parts.update,
                parts.replace,
                parts.nonce,
            )
        return parts


def is_admin_path(path):
    return path.startswith(tuple(settings.ADMIN_URL_PREFIXES))


def client_ip(request):
    """The address a request came from, for lockouts and rate limits.

    Behind a proxy, ``CLIENT_IP_HEADER`` names the header it writes. Only its last address is
    taken: a client can put anything at the front of X-Forwarded-For, but the last entry is
    the one the newsroom's own proxy appended. Anything that is not an address is ignored.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        candidate = request.META.get(header, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


class AxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that comes with a request.

    Logins without one (``authenticate()`` in a management command or a shell) come from the
    server itself, not from the network: axes would refuse them outright, so they are left to
    the next backend, which checks the password as usual.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

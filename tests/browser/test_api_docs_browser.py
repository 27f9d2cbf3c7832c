"""The API's Swagger UI page works in Chromium under a strict Content-Security-Policy: no
inline script or style, nothing from another origin."""

import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application

# What the docs page needs, and no more.
STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'"
)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def strict_server(transactional_db, settings):
    """The project on a loopback port, every answer with STRICT_CSP (replacing any other)."""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    app = StaticFilesHandler(get_wsgi_application())

    def with_csp(environ, start_response):
        def start(status, headers, exc_info=None):
            headers = [h for h in headers if h[0].lower() != "content-security-policy"]
            return start_response(status, [*headers, ("Content-Security-Policy", STRICT_CSP)])

        return app(environ, start)

    server = make_server("127.0.0.1", 0, with_csp, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
def test_swagger_ui_runs_under_a_strict_csp(strict_server, browser):
    problems = []
    context = browser.new_context()
    page = context.new_page()
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    outside = []
    page.on(
        "request",
        lambda r: (
            r.url.startswith(("http:", "https:"))
            and not r.url.startswith(strict_server)
            and outside.append(r.url)
        ),
    )
    page.goto(f"{strict_server}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    context.close()
    assert "/api/v1/articles/" in paths and "/api/v1/masthead/" in paths
    assert problems == []
    assert outside == []

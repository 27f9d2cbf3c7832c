"""Shared pieces of the browser tests: a fresh context (cookies, storage) per test in the one
Chromium of the run (``browser`` in tests/conftest.py), the live server on the real PostgreSQL,
axe-core, and the artifacts folder."""

import mimetypes
import os
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture
def site(live_server, settings):
    """The live server's address; cookies over plain HTTP, as the test server speaks it."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return live_server.url


def serve_media(settings, delay=0.0):
    """Answers /media/ requests from the test's MEDIA_ROOT, as the web server in front does in
    production (Django serves no media when DEBUG is off), optionally ``delay`` seconds late.
    (Responses given here skip Chromium's network throttling, hence the delay.)"""

    def handle(route):
        # Sleeping holds only this Python side: Chromium goes on loading and painting the page.
        time.sleep(delay)
        path = route.request.url.split("/media/", 1)[1].split("?", 1)[0]
        file = Path(settings.MEDIA_ROOT) / path
        if not file.is_file():
            return route.fulfill(status=404, body="")
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return route.fulfill(status=200, body=file.read_bytes(), content_type=content_type)

    return handle


@pytest.fixture
def new_page(browser, site, settings):
    """``new_page(width=1280, height=800)``: a page in a fresh browser context. Each page keeps
    the console errors and failed requests it saw in ``page.errors`` (a Content-Security-Policy
    violation is one). ``bypass_csp=True`` lets a test inject a script tag (axe-core) into a page
    whose policy allows no inline script."""
    contexts = []

    def make(width=1280, height=800, bypass_csp=False):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="ar-EG",
            base_url=site,
            bypass_csp=bypass_csp,
        )
        context.set_default_timeout(60_000)  # the machine is shared: give CKEditor time
        context.route("**/media/**", serve_media(settings))
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on(
            "console",
            lambda m: m.type == "error" and page.errors.append(f"{m.text} {m.location['url']}"),
        )
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, username, password="secret-password", next_path="/admin/"):
    page.goto(f"/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "/admin/login/" not in page.url, "the login was refused"


def wait_for_editor(page):
    page.wait_for_function(
        "() => window.CKEDITOR && CKEDITOR.instances.id_body"
        " && CKEDITOR.instances.id_body.status === 'ready'"
    )


@pytest.fixture(scope="session")
def axe_path():
    if not AXE.exists():
        message = f"{AXE} is missing: run `make node` (npm ci in .tools)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(AXE)


def run_axe(page, axe_path, context="document"):
    """axe-core's WCAG 2.x A/AA rules on the page; returns its violations. The page must come
    from ``new_page(bypass_csp=True)``: the injected script is inline."""
    page.add_script_tag(path=axe_path)
    return page.evaluate(
        """async (context) => {
          const result = await axe.run(context === "document" ? document : context, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                              "wcag22aa", "best-practice"] },
          });
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary),
          }));
        }""",
        context,
    )


@pytest.fixture(scope="session")
def artifacts():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder

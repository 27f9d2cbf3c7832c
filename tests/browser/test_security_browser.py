"""In Chromium: the Content-Security-Policy blocks nothing the site itself needs.

Reader pages (with their JSON-LD data block and the read beacon) and the admin's article form
with CKEditor 4 load with no CSP violation reported in the console.
"""

import pytest
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def browser_page(live_server, settings, browser):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.messages = []
    page.on("console", lambda message: page.messages.append(message.text))
    page.on("pageerror", lambda error: page.messages.append(str(error)))
    yield page
    context.close()


def csp_violations(page):
    return [text for text in page.messages if "Content Security Policy" in text]


@pytest.fixture
def article(make_article):
    return make_article(headline="خبر في المتصفح", summary="ملخص")


@pytest.fixture
def desk_user(django_user_model):
    user = django_user_model.objects.create_user("csp-desk", password="pw-csp-desk-1")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__endswith="_article"))
    return user


# The data fixtures come before the browser: Playwright's event loop forbids ORM calls.
def test_reader_pages_break_no_rule_of_the_policy(article, browser_page, live_server):
    for path in ("/", article.get_absolute_url(), "/search/?q=خبر", "/no-such-page/"):
        response = browser_page.goto(live_server.url + path)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
    # The JSON-LD block is data, not a script: it is in the page and no violation is reported.
    browser_page.goto(live_server.url + article.get_absolute_url())
    assert "NewsArticle" in browser_page.locator("script[type='application/ld+json']").inner_text()
    assert csp_violations(browser_page) == []


def test_the_policy_blocks_an_inline_script_on_reader_pages(browser_page, live_server):
    browser_page.goto(live_server.url + "/")
    # A script injected into the page is refused by the browser, and the refusal is reported.
    browser_page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.append(s); }"
    )
    assert browser_page.evaluate("() => window.injected") is None
    assert csp_violations(browser_page)


def test_the_article_form_and_ckeditor_load_under_the_admin_policy(
    desk_user, browser_page, live_server
):
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "csp-desk")
    page.fill("#id_password", "pw-csp-desk-1")
    page.click("input[type=submit]")
    page.wait_for_function(
        "() => window.CKEDITOR && CKEDITOR.instances.id_body"
        " && CKEDITOR.instances.id_body.status === 'ready'"
    )
    # Typing in the editing frame works (its document is written by CKEditor's script).
    page.evaluate("() => CKEDITOR.instances.id_body.setData('<p>نص <strong>عريض</strong></p>')")
    page.wait_for_function("() => CKEDITOR.instances.id_body.getData().includes('عريض')")
    page.goto(f"{live_server.url}/admin/")
    assert csp_violations(page) == []

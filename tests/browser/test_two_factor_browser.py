"""Two-factor enrolment in Chromium, as an editor whose role requires it meets it: sent to the
enrolment page after the password, the QR code drawn under the admin's CSP, a first code,
the recovery codes, then the admin."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import log_in
from tests.core.test_two_factor import current_code
from workflow.roles import ADMIN, EDITOR

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def test_an_editor_enrols_at_the_first_login(new_page, make_user, settings, artifacts):
    settings.OTP_REQUIRED_GROUPS = [EDITOR, ADMIN]
    editor = make_user("editor")
    page = new_page(width=1366, height=900)
    log_in(page, editor.username)
    assert page.url.endswith("/admin/two-factor/enrol/")
    page.goto("/admin/articles/article/")
    assert page.url.endswith("/admin/two-factor/enrol/")
    qr = page.locator("img[src^='data:image/svg+xml']")
    qr.wait_for()
    # Drawn: a data: image the policy blocked would have no size.
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    page.screenshot(path=str(artifacts / "two-factor-enrol.png"), full_page=True)
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    page.fill("#id_code", current_code(device))
    with page.expect_navigation():
        page.click("input[type=submit].default")
    assert page.locator("ul.recovery-codes li").count() == 10
    page.screenshot(path=str(artifacts / "two-factor-recovery-codes.png"), full_page=True)
    page.goto("/admin/articles/article/")
    assert page.url.endswith("/admin/articles/article/")
    assert not [error for error in page.errors if "Content Security Policy" in error]

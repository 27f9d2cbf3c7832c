"""Two-factor login for staff: TOTP apps enrolled by their owners, recovery codes, the
requirement by role (OTP_REQUIRED_FOR), the lockout."""

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from workflow.roles import ADMIN, EDITOR


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "two-factor", password="pw-two-factor-1", is_staff=True
    )


def login(client, token=""):
    return client.post(
        "/admin/login/",
        {"username": "two-factor", "password": "pw-two-factor-1", "otp_token": token,
         "next": "/admin/"},
    )  # fmt: skip


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def test_staff_without_a_device_log_in_with_the_password(client, staff):
    page = client.get("/admin/login/")
    assert 'name="otp_token"' in page.content.decode()
    assert login(client).status_code == 302


def test_staff_with_a_device_need_the_current_code(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="هاتف", confirmed=True)
    refused = login(client)
    assert refused.status_code == 200
    assert "رمز التحقق مطلوب" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert (
        login(client, "000000" if current_code(device) != "000000" else "111111").status_code == 200
    )
    # django-otp slows down guessing: after a wrong code the device waits a moment.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    response = login(client, current_code(device))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.session.get("otp_device_id") == device.persistent_id


def test_wrong_codes_count_towards_the_lockout(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    device = TOTPDevice.objects.create(user=staff, name="هاتف", confirmed=True)
    for _ in range(3):
        login(client, "123456" if current_code(device) != "123456" else "654321")
    assert login(client, current_code(device)).status_code == 429


def test_admins_see_devices_but_add_none_for_others(admin_client, staff):
    device = TOTPDevice.objects.create(user=staff, name="هاتف", confirmed=True)
    assert admin_client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    page = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()  # the secret stays with its owner


# --- Enrolling oneself, recovery codes, the requirement -------------------------------------


def log_in(client, user, token=""):
    return client.post(
        "/admin/login/",
        {"username": user.username, "password": "secret-password", "otp_token": token,
         "next": "/admin/"},
    )  # fmt: skip


def enrol(client):
    """Open the enrolment page and confirm it with the app's current code; the response."""
    page = client.get("/admin/two-factor/enrol/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    return client.post("/admin/two-factor/enrol/", {"code": current_code(device)})


def test_staff_enrol_themselves_with_a_qr_code_and_get_recovery_codes(client, make_user):
    writer = make_user("writer")
    client.force_login(writer)
    page = client.get("/admin/two-factor/enrol/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in html  # the QR code, drawn by segno
    key = base64.b32encode(TOTPDevice.objects.get(user=writer).bin_key).decode().rstrip("=")
    assert " ".join(key[i : i + 4] for i in range(0, len(key), 4)) in html  # typed by hand
    assert "امسح" in html or "مسح الرمز المربّع" in html
    device = TOTPDevice.objects.get(user=writer)
    assert not device.confirmed
    wrong = "000000" if current_code(device) != "000000" else "111111"
    refused = client.post("/admin/two-factor/enrol/", {"code": wrong})
    assert "الرمز غير صحيح" in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()
    shown = client.post("/admin/two-factor/enrol/", {"code": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.session.get("otp_device_id") == device.persistent_id
    codes = list(StaticToken.objects.filter(device__user=writer).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in shown.content.decode() for code in codes)
    # The audit trail records the recovery codes being made, never their values.
    recorded = AuditEntry.objects.filter(content_type__app_label="otp_static")
    assert recorded.filter(content_type__model="staticdevice").exists()
    assert not any(code in str(entry.changes) for entry in recorded for code in codes)
    # Shown once: the two-factor page afterwards gives the count, not the codes.
    later = client.get("/admin/two-factor/").content.decode()
    assert "رموز الاسترداد الباقية: 10" in later
    assert not any(code in later for code in codes)


def test_a_recovery_code_logs_in_once_only(client, make_user):
    editor = make_user("editor")
    client.force_login(editor)
    enrol(client)
    code = StaticToken.objects.filter(device__user=editor).first().token
    client.logout()
    assert log_in(client, editor, code.upper()).status_code == 302
    assert client.session.get("otp_device_id", "").startswith("otp_static.")
    client.logout()
    StaticDevice.objects.filter(user=editor).update(throttling_failure_count=0)
    refused = log_in(client, editor, code)
    assert refused.status_code == 200
    assert "استُعمل من قبل" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert StaticToken.objects.filter(device__user=editor).count() == 9


def test_new_recovery_codes_replace_the_old_ones(client, make_user):
    writer = make_user("writer")
    client.force_login(writer)
    enrol(client)
    old = set(StaticToken.objects.values_list("token", flat=True))
    assert client.post("/admin/two-factor/recovery/").status_code == 200
    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10 and not old & new


def test_recovery_codes_need_a_session_verified_by_a_code(client, make_user):
    writer = make_user("writer")
    client.force_login(writer)
    response = client.post("/admin/two-factor/recovery/")
    assert response.status_code == 302
    assert not StaticToken.objects.exists()


def test_a_required_role_enrols_before_anything_else(client, make_user, settings):
    settings.OTP_REQUIRED_GROUPS = [EDITOR, ADMIN]
    editor = make_user("editor")
    assert log_in(client, editor).status_code == 302  # no device yet: the password is enough
    for url in ["/admin/", "/admin/articles/article/", "/admin/articles/article/add/",
                "/admin/two-factor/", "/admin/password_change/"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/admin/two-factor/enrol/", url
    assert client.post("/admin/articles/tag/add/", {"name": "وسم"}).status_code == 302
    page = client.get("/admin/two-factor/enrol/")
    assert "يشترط دورك" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()
    enrol(client)
    assert client.get("/admin/articles/article/").status_code == 200
    # At the next login the code is asked for, as for anyone with a device.
    client.logout()
    assert log_in(client, editor).status_code == 200


def test_a_required_member_may_still_log_out(client, make_user, settings):
    settings.OTP_REQUIRED_GROUPS = [EDITOR]
    log_in(client, make_user("editor"))
    assert client.post("/admin/logout/").status_code == 200
    assert "_auth_user_id" not in client.session


def test_superusers_count_as_admins(admin_client, settings):
    settings.OTP_REQUIRED_GROUPS = [ADMIN]
    settings.OTP_REQUIRED_FOR_SUPERUSERS = True
    assert admin_client.get("/admin/")["Location"] == "/admin/two-factor/enrol/"
    settings.OTP_REQUIRED_GROUPS = [EDITOR]
    settings.OTP_REQUIRED_FOR_SUPERUSERS = False
    assert admin_client.get("/admin/").status_code == 200


def test_a_role_that_is_not_required_is_let_through(client, make_user, settings):
    settings.OTP_REQUIRED_GROUPS = [EDITOR, ADMIN]
    writer = make_user("writer")
    assert log_in(client, writer).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_wrong_recovery_codes_count_towards_the_lockout(client, make_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    writer = make_user("writer")
    client.force_login(writer)
    enrol(client)
    code = StaticToken.objects.filter(device__user=writer).first().token
    client.logout()
    for _ in range(3):
        log_in(client, writer, "wrongcode")
    assert log_in(client, writer, code).status_code == 429
    assert StaticToken.objects.filter(token=code).exists()  # not spent by a refused login


def test_django_otps_own_qr_code_view_is_gone(admin_client, staff):
    device = TOTPDevice.objects.create(user=staff, name="هاتف", confirmed=True)
    for suffix in ["qrcode", "config"]:
        # The admin's catch-all sends the unknown address to the list, as for any bad id.
        response = admin_client.get(
            f"/admin/otp_totp/totpdevice/{device.pk}/{suffix}/", follow=True
        )
        assert response.status_code == 200, suffix
        assert response.redirect_chain[-1][0] == "/admin/", suffix
        assert response["Content-Type"].startswith("text/html")

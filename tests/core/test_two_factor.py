"""Optional TOTP two-factor login for staff."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


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

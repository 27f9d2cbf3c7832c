"""Writers and editors see none of the login logs, two-factor devices, groups or users;
admins see them, under Arabic names."""

import pytest

STAFF_ONLY_APPS = {"axes", "otp_totp", "otp_static", "auth"}
STAFF_ONLY_URLS = [
    "/admin/axes/accessattempt/",
    "/admin/axes/accesslog/",
    "/admin/axes/accessfailurelog/",
    "/admin/otp_totp/totpdevice/",
    "/admin/otp_static/staticdevice/",
    "/admin/auth/group/",
    "/admin/auth/group/add/",
    "/admin/auth/user/",
    "/admin/auth/user/add/",
]


def app_labels(client):
    return {app["app_label"] for app in client.get("/admin/").context["app_list"]}


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_writers_and_editors_do_not_see_accounts_or_login_records(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    assert not app_labels(client) & STAFF_ONLY_APPS
    for url in STAFF_ONLY_URLS:
        assert client.get(url).status_code == 403, url
    assert client.get(f"/admin/auth/user/{user.pk}/change/").status_code == 403
    for app in STAFF_ONLY_APPS:
        assert client.get(f"/admin/{app}/").status_code == 404, app
    # Their own two-factor page is theirs to open.
    assert client.get("/admin/two-factor/").status_code == 200


def test_admins_see_them_under_arabic_names(client, make_user):
    client.force_login(make_user("admin"))
    apps = {app["app_label"]: app for app in client.get("/admin/").context["app_list"]}
    assert STAFF_ONLY_APPS <= set(apps)
    names = {
        model["object_name"]: str(model["name"])
        for label in STAFF_ONLY_APPS
        for model in apps[label]["models"]
    }
    assert names["TOTPDevice"] == "تطبيقات المصادقة"
    assert names["AccessLog"] == "سجل الدخول"
    assert str(apps["axes"]["name"]) == "محاولات الدخول"
    for url in STAFF_ONLY_URLS:
        assert client.get(url).status_code == 200, url

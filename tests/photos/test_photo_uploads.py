import re
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from photos.images import clean_image
from tests.photo_files import (
    GPS,
    bad_files,
    encode,
    files_under,
    jpeg_with_gps,
    photo,
    two_colour_jpeg,
    upload,
)

UPLOAD_URL = "/ckeditor/upload/"
STORED_NAME = re.compile(r"^uploads/\d{4}/\d{2}/\d{2}/[0-9a-f]{20}_(\d+)x(\d+)\.(jpg|png)$")


def stored_name(response):
    url = response.json()["url"]
    assert url.startswith("/media/uploads/")
    return url.removeprefix("/media/")


def open_stored(name):
    with default_storage.open(name) as file:
        image = Image.open(BytesIO(file.read()))
        image.load()
        return image


def test_staff_upload_is_stored_under_a_dated_random_name_as_ckeditor_expects(
    staff_client, settings
):
    response = staff_client.post(UPLOAD_URL, {"upload": upload(encode(photo((800, 600))))})
    assert response.status_code == 200
    body = response.json()
    assert body["uploaded"] == 1
    name = stored_name(response)
    match = STORED_NAME.match(name)
    assert match and match.groups() == ("800", "600", "jpg")
    assert body["fileName"] == name.rsplit("/", 1)[1]
    image = open_stored(name)
    assert (image.format, image.size) == ("JPEG", (800, 600))
    assert files_under(settings.MEDIA_ROOT) == [settings.MEDIA_ROOT / name]


def test_gps_and_camera_exif_are_gone_after_upload(staff_client):
    original = Image.open(BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(GPS)  # the test file really carries GPS
    response = staff_client.post(UPLOAD_URL, {"upload": upload(jpeg_with_gps())})
    assert response.status_code == 200
    stored = open_stored(stored_name(response))
    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(GPS) == {}
    assert "exif" not in stored.info and "xmp" not in stored.info
    with default_storage.open(stored_name(response)) as file:
        raw = file.read()
    assert b"NewsCam" not in raw and b"Serial 123456" not in raw and b"Exif" not in raw


def test_orientation_is_applied_to_the_pixels(staff_client):
    # Orientation 6: the camera was turned; the viewer must rotate 90 degrees clockwise.
    response = staff_client.post(UPLOAD_URL, {"upload": upload(two_colour_jpeg((200, 100), 6))})
    stored = open_stored(stored_name(response))
    assert stored.size == (100, 200)
    assert "_100x200.jpg" in stored_name(response)
    red, _, blue = stored.getpixel((50, 20))
    assert red > 150 and blue < 80  # the left (red) half is now on top
    red, _, blue = stored.getpixel((50, 180))
    assert blue > 150 and red < 80


def test_transparent_png_stays_png_with_its_alpha(staff_client):
    response = staff_client.post(
        UPLOAD_URL, {"upload": upload(encode(photo((300, 200), "RGBA"), "PNG"), "logo.png")}
    )
    stored = open_stored(stored_name(response))
    assert (stored.format, stored.mode) == ("PNG", "RGBA")


def test_wide_inline_photos_are_scaled_down(staff_client, settings):
    settings.NEWSROOM_INLINE_IMAGE_MAX_WIDTH = 1000
    response = staff_client.post(UPLOAD_URL, {"upload": upload(encode(photo((2000, 1000))))})
    assert open_stored(stored_name(response)).size == (1000, 500)


@pytest.mark.parametrize(("label", "data", "name"), bad_files(), ids=[b[0] for b in bad_files()])
def test_bad_files_are_refused_in_arabic_and_nothing_is_written(
    staff_client, settings, label, data, name
):
    response = staff_client.post(UPLOAD_URL, {"upload": upload(data, name)})
    assert response.status_code == 400, label
    body = response.json()
    assert body["uploaded"] == 0
    assert re.search(r"[\u0600-\u06ff]{3}", body["error"]["message"])
    assert files_under(settings.MEDIA_ROOT) == []


def test_each_refusal_says_what_went_wrong(staff_client):
    messages = {
        label: staff_client.post(UPLOAD_URL, {"upload": upload(data, name)}).json()["error"][
            "message"
        ]
        for label, data, name in bad_files()
    }
    assert "فارغ" in messages["zero-byte"]
    assert "ليس صورة" in messages["svg"] and "ليس صورة" in messages["html"]
    assert "ليس صورة" in messages["jpeg with html appended"]
    assert "تالفة" in messages["truncated jpeg"]
    assert "مليون بكسل" in messages["bomb 30000x30000"]
    assert "مليون بكسل" in messages["bomb just over the limit"]


def test_files_over_the_size_limit_are_refused(staff_client, settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 10_000
    response = staff_client.post(UPLOAD_URL, {"upload": upload(encode(photo((800, 600))))})
    assert response.status_code == 400
    assert "أكبر من المسموح" in response.json()["error"]["message"]
    assert files_under(settings.MEDIA_ROOT) == []


def test_pixel_limit_is_a_setting(staff_client, settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 100_000
    response = staff_client.post(UPLOAD_URL, {"upload": upload(encode(photo((400, 300))))})
    assert response.status_code == 400
    assert "الحد الأقصى 0.1 مليون بكسل" in response.json()["error"]["message"]
    assert files_under(settings.MEDIA_ROOT) == []


def test_missing_file_is_a_400(staff_client):
    response = staff_client.post(UPLOAD_URL, {})
    assert response.status_code == 400
    assert "لم يصل أي ملف" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "client_name",
    ["../../../etc/passwd.jpg", "a\x00b\x07c.jpg", "صورة\u202egpj.exe", "..\\..\\win.ini.jpg"],
)
def test_client_file_names_never_reach_a_path(staff_client, settings, client_name):
    response = staff_client.post(
        UPLOAD_URL, {"upload": upload(encode(photo((100, 80))), client_name)}
    )
    assert response.status_code == 200
    assert STORED_NAME.match(stored_name(response))
    [stored] = files_under(settings.MEDIA_ROOT)
    assert stored.name.isascii() and stored.parent.parent.parent.parent.name == "uploads"


def test_anonymous_users_are_refused(client, settings):
    response = client.post(UPLOAD_URL, {"upload": upload(encode(photo((100, 80))))})
    assert response.status_code == 403
    assert "فريق التحرير" in response.json()["error"]["message"]
    assert files_under(settings.MEDIA_ROOT) == []


def test_non_staff_and_staff_without_article_rights_are_refused(
    client, django_user_model, settings
):
    reader = django_user_model.objects.create_user("reader", password="x")
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(codename="change_mastheadterm"))
    for user in (reader, clerk):
        client.force_login(user)
        response = client.post(UPLOAD_URL, {"upload": upload(encode(photo((100, 80))))})
        assert response.status_code == 403
    assert files_under(settings.MEDIA_ROOT) == []


def test_get_is_not_allowed(staff_client):
    assert staff_client.get(UPLOAD_URL).status_code == 405


def test_upload_without_csrf_token_is_refused_and_with_the_header_accepted(staff_client, settings):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_client.user)
    data = encode(photo((120, 90)))
    refused = browser.post(UPLOAD_URL, {"upload": upload(data)})
    assert refused.status_code == 403
    assert files_under(settings.MEDIA_ROOT) == []
    # The admin page that holds the editor sets the cookie and carries the token in its form,
    # which photos/static/photos/ckeditor-config.js sends as X-CSRFToken.
    page = browser.get("/admin/articles/article/add/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    accepted = browser.post(UPLOAD_URL, {"upload": upload(data)}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and accepted.json()["uploaded"] == 1


def test_editor_page_points_ckeditor_at_the_safe_upload_and_no_browser(staff_client):
    html = staff_client.get("/admin/articles/article/add/").content.decode()
    assert "&quot;filebrowserUploadUrl&quot;: &quot;/ckeditor/upload/&quot;" in html
    assert "&quot;filebrowserBrowseUrl&quot;: &quot;&quot;" in html
    assert "photos/ckeditor-config.js" in html
    assert "&quot;filebrowserUploadMethod&quot;: &quot;xhr&quot;" in html


def test_clean_image_output_never_carries_the_input_bytes():
    source = jpeg_with_gps((300, 200))
    cleaned = clean_image(source)
    assert cleaned.content != source
    assert (cleaned.width, cleaned.height, cleaned.extension) == (300, 200, "jpg")
    assert cleaned.filename() != cleaned.filename()  # random every time


def test_opaque_png_photos_are_stored_as_jpeg(staff_client):
    opaque = photo((300, 200)).convert("RGBA")
    response = staff_client.post(UPLOAD_URL, {"upload": upload(encode(opaque, "PNG"), "a.png")})
    assert open_stored(stored_name(response)).format == "JPEG"


def test_colour_profile_is_kept(staff_client):
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(photo((200, 100)), "JPEG", icc_profile=profile)
    response = staff_client.post(UPLOAD_URL, {"upload": upload(data)})
    assert open_stored(stored_name(response)).info["icc_profile"] == profile

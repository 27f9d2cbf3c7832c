"""The body editor's real upload path, in Chromium: CKEditor 4 sends Django's CSRF token."""

import base64
import json

import pytest
from django.contrib.auth.models import Permission

from photos import renditions
from tests.photo_files import encode, files_under, photo
from tests.photos.test_photo_renditions import store_original

# The live server starts before the per-test settings point STATIC_ROOT at a temporary folder;
# WhiteNoise only warns that the production folder is missing (static files come from finders).
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

# Uploads a file the way CKEditor's image dialog and drag-and-drop do: through the editor's
# own file loader (XMLHttpRequest + the editor's configured request headers).
UPLOAD_WITH_THE_EDITOR = """
async ([payload, type, name]) => {
  const editor = CKEDITOR.instances.id_body;
  const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
  const loader = editor.uploadRepository.create(new File([bytes], name, { type }));
  return await new Promise((resolve) => {
    const done = () => resolve({ status: loader.status, url: loader.url || null,
                                 http: loader.xhr.status, body: loader.xhr.responseText });
    loader.on("uploaded", done);
    loader.on("error", done);
    loader.loadAndUpload(editor.config.filebrowserUploadUrl);
  });
}
"""


@pytest.fixture
def staff_browser(live_server, django_user_model, settings, browser):
    """A logged-in Chromium page; ``open(path)`` goes to an admin page through the login."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    user = django_user_model.objects.create_user("photo-desk", password="pw-photo-desk-1")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__endswith="_article"))
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(60_000)  # the machine is shared: give CKEditor time to load

    def open_page(path):
        page.goto(f"{live_server.url}/admin/login/?next={path}")
        page.fill("#id_username", "photo-desk")
        page.fill("#id_password", "pw-photo-desk-1")
        page.click("input[type=submit]")
        page.wait_for_function(
            "() => window.CKEDITOR && CKEDITOR.instances.id_body"
            " && CKEDITOR.instances.id_body.status === 'ready'"
        )
        return page

    yield open_page
    context.close()


@pytest.fixture
def editor_page(staff_browser):
    return staff_browser("/admin/articles/article/add/")


def upload(page, data, content_type, name):
    payload = base64.b64encode(data).decode()
    return page.evaluate(UPLOAD_WITH_THE_EDITOR, [payload, content_type, name])


def test_the_editor_uploads_with_the_csrf_token(editor_page, settings):
    result = upload(editor_page, encode(photo((320, 240))), "image/jpeg", "from-phone.jpg")
    assert result["status"] == "uploaded", result
    assert result["url"].startswith("/media/uploads/") and result["url"].endswith("_320x240.jpg")
    assert len(files_under(settings.MEDIA_ROOT)) == 1


def test_the_editor_gets_the_arabic_refusal(editor_page, settings):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    result = upload(editor_page, svg, "image/svg+xml", "logo.svg")
    assert result["status"] == "error" and result["http"] == 400
    assert "ليس صورة" in json.loads(result["body"])["error"]["message"]
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.fixture
def article_with_preview(make_article):
    name = store_original(encode(photo((1200, 800))))
    renditions.sync(name)  # the preview shows the 640 px rendition, as after a commit
    return make_article(lead_image=name, lead_image_alt="بديل")


# The database work happens in the fixture above, before Playwright's event loop starts
# (Django refuses ORM calls from inside a running loop).
def test_clicking_the_preview_sets_the_focal_point(article_with_preview, staff_browser):
    article = article_with_preview
    page = staff_browser(f"/admin/articles/article/{article.pk}/change/")
    page.evaluate(
        "document.querySelectorAll('fieldset.collapse, details').forEach(e => e.open = true)"
    )
    preview = page.locator("[data-focal-preview] img")
    preview.scroll_into_view_if_needed()
    box = preview.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.8)
    # Chromium rounds the click to whole pixels: allow one hundredth either way.
    assert float(page.input_value("#id_lead_image_focal_x")) == pytest.approx(0.25, abs=0.011)
    assert float(page.input_value("#id_lead_image_focal_y")) == pytest.approx(0.8, abs=0.011)

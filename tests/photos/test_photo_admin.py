import re
from io import BytesIO

from django.core.files.storage import default_storage
from PIL import Image

from articles.models import Article, Author
from photos import renditions
from tests.photo_files import GPS, encode, files_under, jpeg_with_gps, photo, upload
from tests.workflow.test_admin import article_form

LEAD_NAME = re.compile(r"^lead/\d{4}/\d{2}/[0-9a-f]{20}_(\d+)x(\d+)\.jpg$")


def open_stored(name):
    with default_storage.open(name) as file:
        return Image.open(BytesIO(file.read()))


def test_lead_image_from_the_admin_is_checked_re_encoded_and_rendered(
    staff_client, make_section, django_capture_on_commit_callbacks
):
    data = article_form(
        make_section(),
        lead_image=upload(jpeg_with_gps((1200, 800)), "../../../../etc/cron.d/x.jpg"),
        lead_image_alt="لقطة من الحدث",
        lead_image_focal_x="0.3",
        lead_image_focal_y="0.6",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].errors
    article = Article.objects.get()
    assert LEAD_NAME.match(article.lead_image.name).groups() == ("1200", "800")
    stored = open_stored(article.lead_image.name)
    assert stored.getexif().get_ifd(GPS) == {} and dict(stored.getexif()) == {}
    assert (article.lead_image_focal_x, article.lead_image_focal_y) == (0.3, 0.6)
    for rendition in renditions.planned(article.lead_image.name, (0.3, 0.6)):
        assert default_storage.exists(rendition.name)


def test_a_bad_lead_image_is_an_arabic_form_error_and_nothing_is_stored(
    staff_client, make_section, settings
):
    data = article_form(
        make_section(),
        lead_image=upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "a.jpg"),
        lead_image_alt="بديل",
    )
    response = staff_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["lead_image"]
    assert errors == [
        "هذا الملف ليس صورة يقبلها الموقع. الصيغ المقبولة: JPEG وPNG وWebP وGIF "
        "(ملفات SVG وHTML وغيرها مرفوضة)."
    ]
    assert not Article.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_lead_image_without_alt_text_is_refused_before_anything_is_stored(
    staff_client, make_section, settings
):
    data = article_form(make_section(), lead_image=upload(encode(photo((640, 480)))))
    response = staff_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    assert "أضف نصًا بديلًا" in str(response.context["adminform"].form.errors)
    assert files_under(settings.MEDIA_ROOT) == []


def test_replacing_the_lead_image_in_the_admin_removes_the_old_files(
    staff_client, make_section, django_capture_on_commit_callbacks, settings
):
    section = make_section()
    first = article_form(section, lead_image=upload(encode(photo((800, 600)))), lead_image_alt="أ")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/admin/articles/article/add/", first)
    article = Article.objects.get()
    old = article.lead_image.name
    second = article_form(
        section,
        lead_image=upload(encode(photo((640, 480)))),
        lead_image_alt="ب",
        loaded_version=article.version,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/articles/article/{article.pk}/change/", second)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead_image.name != old
    assert not default_storage.exists(old)
    stored = {str(p.relative_to(settings.MEDIA_ROOT)) for p in files_under(settings.MEDIA_ROOT)}
    assert stored == {article.lead_image.name} | {
        r.name for r in renditions.planned(article.lead_image.name)
    }


def test_change_form_shows_focal_point_fields_and_preview(staff_client, make_article):
    article = make_article()
    html = staff_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="lead_image_focal_x"' in html and 'name="lead_image_focal_y"' in html
    assert "معاينة النقطة المحورية" in html


def test_author_photo_is_checked_and_re_encoded(
    staff_client, make_author, django_capture_on_commit_callbacks, settings
):
    author = make_author(name="سارة")
    data = {"name": "سارة", "slug": author.slug, "bio": "", "is_active": "on", "user": ""}
    refused = staff_client.post(
        f"/admin/articles/author/{author.pk}/change/",
        {**data, "photo": upload(b"#!/bin/sh\necho hi\n", "me.jpg")},
    )
    assert refused.status_code == 200
    assert "ليس صورة" in refused.context["adminform"].form.errors["photo"][0]
    assert files_under(settings.MEDIA_ROOT) == []
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/articles/author/{author.pk}/change/",
            {**data, "photo": upload(jpeg_with_gps((400, 400)), "me.jpg")},
        )
    assert response.status_code == 302
    author.refresh_from_db()
    assert re.match(r"^authors/[0-9a-f]{20}_400x400\.jpg$", author.photo.name)
    with django_capture_on_commit_callbacks(execute=True):
        large = staff_client.post(
            f"/admin/articles/author/{author.pk}/change/",
            {**data, "photo": upload(encode(photo((1800, 1200))), "big.jpg")},
        )
    assert large.status_code == 302
    author.refresh_from_db()
    assert author.photo.name.endswith("_600x400.jpg")  # author photos are stored small
    assert open_stored(author.photo.name).getexif().get_ifd(GPS) == {}
    first = author.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            f"/admin/articles/author/{author.pk}/change/",
            {**data, "photo": upload(encode(photo((300, 300))), "me2.jpg")},
        )
    assert not default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        Author.objects.get(pk=author.pk).delete()
    assert files_under(settings.MEDIA_ROOT) == []


def test_preview_shows_a_rendition_with_the_focal_marker(
    staff_client, make_article, django_capture_on_commit_callbacks
):
    from tests.photos.test_photo_renditions import store_original

    name = store_original(encode(photo((1200, 800))))
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            lead_image=name, lead_image_alt="بديل", lead_image_focal_x=0.3, lead_image_focal_y=0.75
        )
    html = staff_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    preview = renditions.responsive(name)[1][1]
    assert f'<img src="{preview.url}"' in html
    assert "left: 30%; top: 75%;" in html
    assert "photos/focal-point.js" in html

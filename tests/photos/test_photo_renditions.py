import json
import re
from io import BytesIO, StringIO

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from PIL import Image

from articles.models import Article
from frontcache.models import PurgeRequest
from photos import renditions
from photos.images import clean_image
from tests.photo_files import GPS, encode, files_under, jpeg_with_gps, photo
from tests.private_services import free_port
from workflow.services import article_delete, article_save


def store_original(data, folder="lead/2026/11"):
    image = clean_image(data)
    return default_storage.save(f"{folder}/{image.filename()}", ContentFile(image.content))


def open_stored(name):
    with default_storage.open(name) as file:
        image = Image.open(BytesIO(file.read()))
        image.load()
        return image


def stored_names(root):
    return {str(path.relative_to(root)) for path in files_under(root)}


@pytest.fixture
def article_with_photo(make_article, django_capture_on_commit_callbacks):
    def make(size=(2400, 1600), fmt="JPEG", mode="RGB", **fields):
        name = store_original(encode(photo(size, mode), fmt))
        with django_capture_on_commit_callbacks(execute=True):
            return make_article(
                lead_image=name,
                lead_image_alt="صورة من موقع الحدث",
                lead_image_caption="المشهد صباح اليوم",
                lead_image_credit="رويترز",
                **fields,
            )

    return make


def test_widths_are_capped_at_1920_and_each_comes_as_webp_and_jpeg(article_with_photo):
    article = article_with_photo((2400, 1600))
    folder = renditions.folder(article.lead_image.name)
    for width in (320, 640, 960, 1280, 1920):
        height = round(1600 * width / 2400)
        for ext, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
            image = open_stored(f"{folder}/w{width}.{ext}")
            assert (image.format, image.size) == (fmt, (width, height))
    assert not default_storage.exists(f"{folder}/w2400.webp")


def test_small_originals_are_never_upscaled(article_with_photo, settings):
    article = article_with_photo((700, 500))
    folder = renditions.folder(article.lead_image.name)
    names = stored_names(settings.MEDIA_ROOT / folder)
    assert {n for n in names if n.startswith("w")} == {
        "w320.webp", "w320.jpg", "w640.webp", "w640.jpg", "w700.webp", "w700.jpg",
    }  # fmt: skip
    assert open_stored(f"{folder}/w700.webp").size == (700, 500)
    # The share image stays at the photo's own width too.
    share = renditions.share(article.lead_image.name)
    assert open_stored(share.name).size == (700, 368) == (share.width, share.height)
    for name in names:
        assert open_stored(f"{folder}/{name}").width <= 700


def test_transparent_photos_fall_back_to_png(article_with_photo):
    article = article_with_photo((800, 600), fmt="PNG", mode="RGBA")
    assert article.lead_image.name.endswith("_800x600.png")
    folder = renditions.folder(article.lead_image.name)
    image = open_stored(f"{folder}/w640.png")
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (640, 480))
    assert open_stored(f"{folder}/w640.webp").mode == "RGBA"


def test_card_crops_follow_the_focal_point(make_article, django_capture_on_commit_callbacks):
    picture = Image.new("RGB", (1600, 400), (220, 0, 0))
    picture.paste((0, 0, 220), (800, 0, 1600, 400))
    name = store_original(encode(picture, "PNG"))  # re-encoded as JPEG: no transparency
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(lead_image=name, lead_image_alt="أحمر وأزرق", lead_image_focal_x=0.9)
    right = renditions.cards(name, (0.9, None))[-1][1]
    assert right.box == (1600 - 711, 0, 1600, 400)
    crop = open_stored(right.name)
    assert crop.size == (640, 360)
    assert crop.getpixel((320, 180))[2] > 150  # blue: the right of the photo
    with django_capture_on_commit_callbacks(execute=True):
        article.lead_image_focal_x = 0.1
        article_save(article=article)
    left = renditions.cards(name, (0.1, None))[-1][1]
    assert open_stored(left.name).getpixel((320, 180))[0] > 150  # red: the left
    assert not default_storage.exists(right.name)  # the crop for the old point is gone


def test_article_page_serves_a_picture_with_srcset_sizes_and_dimensions(client, article_with_photo):
    article = article_with_photo((2400, 1600))
    html = client.get(article.get_absolute_url()).content.decode()
    base = f"/media/{renditions.folder(article.lead_image.name)}"
    webp = ", ".join(f"{base}/w{w}.webp {w}w" for w in (320, 640, 960, 1280, 1920))
    jpeg = ", ".join(f"{base}/w{w}.jpg {w}w" for w in (320, 640, 960, 1280, 1920))
    assert f'<source type="image/webp" srcset="{webp}" sizes="' in html
    img = re.search(r'<img src="([^"]+)" srcset="([^"]+)" sizes="([^"]+)" ([^>]+)>', html)
    assert img[1] == f"{base}/w960.jpg" and img[2] == jpeg
    assert img[3] == "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
    assert 'width="960" height="640"' in img[4] and 'alt="صورة من موقع الحدث"' in img[4]
    assert '<figcaption>المشهد صباح اليوم <span class="credit">(رويترز)</span></figcaption>' in html
    assert article.lead_image.url not in html  # readers never get the original


def test_list_cards_use_lazy_cropped_renditions(client, article_with_photo):
    article = article_with_photo((2400, 1600), lead_image_focal_x=0.25, lead_image_focal_y=0.4)
    # /latest/ lists every article as a card (the home page makes a lone article its lead).
    html = client.get("/latest/").content.decode()
    base = f"/media/{renditions.folder(article.lead_image.name)}/card-f25-40"
    assert f"{base}-w320.webp 320w, {base}-w640.webp 640w, {base}-w960.webp 960w" in html
    card = re.search(r'<img class="card-image"[^>]+>', html)[0]
    assert f'src="{base}-w960.jpg"' in card
    assert 'width="960" height="540"' in card and 'loading="lazy"' in card


def test_reader_pages_keep_their_query_counts_with_photos(
    client, article_with_photo, make_article, roles, make_term
):
    """Photos are rendered from their stored names: not one query more than without them."""

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def home():
        # The most-read block is cached; measure the home page cold (and so the lookup of the
        # next scheduled change, which the article page after it then finds kept).
        cache.clear()
        return queries("/")

    plain = make_article()
    without_photos = {"home": home(), "article": queries(plain.get_absolute_url())}
    article = article_with_photo((800, 600))
    article_with_photo((640, 480))
    with_photos = {"home": home(), "article": queries(article.get_absolute_url())}
    assert with_photos == without_photos


def test_unsized_legacy_photos_still_show_as_plain_images(client, make_article):
    article = make_article(lead_image="lead/2020/01/old.jpg", lead_image_alt="صورة قديمة")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<img src="/media/lead/2020/01/old.jpg" alt="صورة قديمة">' in html


def test_share_image_is_an_absolute_1200_wide_jpeg(article_with_photo):
    article = article_with_photo((2400, 1600), lead_image_focal_y=0.2)
    request = RequestFactory().get("/")
    url = Template("{% load photos %}{% share_image article as image %}{{ image.url }}").render(
        Context({"article": article, "request": request})
    )
    folder = renditions.folder(article.lead_image.name)
    assert url == f"http://testserver/media/{folder}/share-f50-20-w1200.jpg"
    image = open_stored(url.removeprefix("http://testserver/media/"))
    assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_share_image_is_empty_without_a_photo(make_article):
    html = Template("{% load photos %}{% share_image article as image %}[{{ image.url }}]").render(
        Context({"article": make_article()})
    )
    assert html == "[]"


def test_replacing_the_photo_removes_the_old_files_after_commit(
    article_with_photo, django_capture_on_commit_callbacks, settings
):
    article = article_with_photo((800, 600))
    old = article.lead_image.name
    old_files = {n for n in stored_names(settings.MEDIA_ROOT) if old.rsplit(".", 1)[0] in n}
    assert len(old_files) == 1 + len(renditions.planned(old))
    new = store_original(encode(photo((640, 480))))
    with django_capture_on_commit_callbacks(execute=True):
        article.lead_image = new
        article_save(article=article)
    remaining = stored_names(settings.MEDIA_ROOT)
    assert not remaining & old_files
    assert remaining == {new} | {r.name for r in renditions.planned(new)}


def test_clearing_and_deleting_leave_nothing_behind(
    article_with_photo, django_capture_on_commit_callbacks, settings
):
    cleared = article_with_photo((640, 480))
    deleted = article_with_photo((640, 480))
    with django_capture_on_commit_callbacks(execute=True):
        cleared.lead_image = ""
        article_save(article=cleared)
        article_delete(article=deleted)
    assert files_under(settings.MEDIA_ROOT) == []


def test_nothing_is_deleted_when_the_transaction_rolls_back(
    article_with_photo, django_capture_on_commit_callbacks, settings
):
    article = article_with_photo((640, 480))
    before = stored_names(settings.MEDIA_ROOT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            Article.objects.get(pk=article.pk).delete()
            raise RuntimeError("the editor's request failed")
    assert callbacks == []
    assert stored_names(settings.MEDIA_ROOT) == before
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_file_shared_by_two_articles_stays_until_the_last_goes(
    article_with_photo, make_article, django_capture_on_commit_callbacks
):
    first = article_with_photo((640, 480))
    copy = make_article(lead_image=first.lead_image.name, lead_image_alt="نسخة")
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert default_storage.exists(copy.lead_image.name)
    with django_capture_on_commit_callbacks(execute=True):
        copy.delete()
    assert not default_storage.exists(copy.lead_image.name)


def test_rebuild_renditions_makes_missing_files_and_reports(article_with_photo, settings):
    article = article_with_photo((800, 600))
    expected = stored_names(settings.MEDIA_ROOT)
    default_storage.delete(f"{renditions.folder(article.lead_image.name)}/w640.webp")
    default_storage.save(
        f"{renditions.folder(article.lead_image.name)}/w9999.webp", ContentFile(b"x")
    )
    out = StringIO()
    call_command("rebuild_renditions", stdout=out, stderr=StringIO())
    assert stored_names(settings.MEDIA_ROOT) == expected
    assert "1 rendition(s) made, 1 stale removed" in out.getvalue()
    out = StringIO()
    call_command("rebuild_renditions", "--force", stdout=out, stderr=StringIO())
    assert f"{len(renditions.planned(article.lead_image.name))} rendition(s) made" in out.getvalue()


def test_rebuild_renditions_adopts_unsized_photos_and_strips_them(make_article, settings):
    default_storage.save("lead/2020/01/old.jpg", ContentFile(jpeg_with_gps((900, 600))))
    article = make_article(lead_image="lead/2020/01/old.jpg", lead_image_alt="صورة قديمة")
    out = StringIO()
    call_command("rebuild_renditions", stdout=out, stderr=StringIO())
    assert "1 unsized photo(s) skipped" in out.getvalue()
    # A front cache that is down: the purge of the pages pointing at the old file stays pending.
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]
    call_command("rebuild_renditions", "--adopt", stdout=out, stderr=StringIO())
    assert PurgeRequest.objects.get().keys == f"a{article.pk}"
    article.refresh_from_db()
    assert renditions.source_size(article.lead_image.name) == (900, 600)
    assert not default_storage.exists("lead/2020/01/old.jpg")
    assert open_stored(article.lead_image.name).getexif().get_ifd(GPS) == {}
    assert stored_names(settings.MEDIA_ROOT) == {article.lead_image.name} | {
        r.name for r in renditions.planned(article.lead_image.name)
    }


def test_rebuild_renditions_fails_loudly_on_a_missing_original(make_article):
    make_article(lead_image="lead/2026/11/gone_800x600.jpg", lead_image_alt="مفقودة")
    err = StringIO()
    with pytest.raises(CommandError, match="1 photo"):
        call_command("rebuild_renditions", stdout=StringIO(), stderr=err)


def test_storage_round_trip_without_a_filesystem(
    settings, staff_client, make_article, django_capture_on_commit_callbacks, client
):
    """Everything goes through the storage API: an in-memory storage works end to end."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    response = staff_client.post(
        "/ckeditor/upload/",
        {"upload": ContentFile(encode(photo((1000, 750))), name="inline.jpg")},
    )
    inline = response.json()["url"].removeprefix("/media/")
    assert open_stored(inline).size == (1000, 750)
    name = store_original(encode(photo((1000, 750))))
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(lead_image=name, lead_image_alt="بديل")
    for rendition in renditions.planned(name):
        image = open_stored(rendition.name)
        assert (image.format, image.size) == (rendition.format, (rendition.width, rendition.height))
    assert "w1000.webp 1000w" in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert not default_storage.exists(name)
    assert default_storage.listdir(renditions.folder(name)) == ([], [])
    assert files_under(settings.MEDIA_ROOT) == []


def test_prune_photos_deletes_only_old_unused_files(article_with_photo, make_article, settings):
    import os

    used = article_with_photo((640, 480))
    in_body = store_original(encode(photo((200, 100))), folder="uploads/2026/11/01")
    make_article(body=f'<p>نص</p><img src="/media/{in_body}" alt="صورة">')
    left_out = store_original(encode(photo((200, 100))), folder="uploads/2026/11/01")
    just_uploaded = store_original(encode(photo((200, 100))), folder="uploads/2026/11/02")
    rolled_back = store_original(encode(photo((640, 480))))
    renditions.sync(rolled_back)
    for path in files_under(settings.MEDIA_ROOT):
        if just_uploaded not in str(path):
            os.utime(path, (1_600_000_000, 1_600_000_000))
    dry = StringIO()
    call_command("prune_photos", "--dry-run", stdout=dry)
    assert f"would delete {left_out}" in dry.getvalue()
    out = StringIO()
    call_command("prune_photos", stdout=out)
    remaining = stored_names(settings.MEDIA_ROOT)
    assert remaining == {used.lead_image.name, in_body, just_uploaded} | {
        r.name for r in renditions.planned(used.lead_image.name)
    }
    deleted = 2 + len(renditions.planned(rolled_back))
    assert f"{deleted} unused deleted, 1 unused but younger than 24 h kept" in out.getvalue()


def test_share_image_gives_size_and_type_for_open_graph(article_with_photo):
    article = article_with_photo((2400, 1600))
    html = Template(
        "{% load photos %}{% share_image article as image %}"
        '<meta property="og:image" content="{{ image.url }}">'
        '<meta property="og:image:width" content="{{ image.width }}">'
        '<meta property="og:image:height" content="{{ image.height }}">'
        '<meta property="og:image:type" content="{{ image.mime_type }}">'
    ).render(Context({"article": article, "request": RequestFactory().get("/")}))
    assert 'content="http://testserver/media/renditions/lead/' in html
    assert '"og:image:width" content="1200"' in html and '"og:image:height" content="630"' in html
    assert '"og:image:type" content="image/jpeg"' in html


def test_sharing_metadata_uses_the_1200_wide_crop_with_its_size(client, article_with_photo):
    article = article_with_photo((2400, 1600), lead_image_focal_y=0.2)
    html = client.get(article.get_absolute_url()).content.decode()
    folder = renditions.folder(article.lead_image.name)
    url = f"http://testserver/media/{folder}/share-f50-20-w1200.jpg"
    assert f'<meta property="og:image" content="{url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert '<meta property="og:image:type" content="image/jpeg">' in html
    assert f'<meta name="twitter:image" content="{url}">' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["image"] == [{"@type": "ImageObject", "url": url, "width": 1200, "height": 630}]
    assert article.lead_image.url not in html  # the original is never handed out


def test_prune_photos_keeps_photos_of_revisions_and_autosaves(
    make_article, django_user_model, settings
):
    import os

    import reversion

    from workflow.models import Autosave

    in_old_revision = store_original(encode(photo((200, 100))), folder="uploads/2026/10/01")
    article = make_article(body=f'<p>نص</p><img src="/media/{in_old_revision}" alt="صورة">')
    with reversion.create_revision():
        article.save()
    article.body = "<p>نص بلا صورة.</p>"
    article.save()
    in_autosave = store_original(encode(photo((200, 100))), folder="uploads/2026/10/02")
    Autosave.objects.create(
        user=django_user_model.objects.create_user("desk"),
        article=article,
        data={"body": [f'<p>مسودة</p><img src="/media/{in_autosave}" alt="صورة">']},
    )
    unused = store_original(encode(photo((200, 100))), folder="uploads/2026/10/03")
    for path in files_under(settings.MEDIA_ROOT):
        os.utime(path, (1_600_000_000, 1_600_000_000))
    call_command("prune_photos", stdout=StringIO())
    assert stored_names(settings.MEDIA_ROOT) == {in_old_revision, in_autosave}
    assert not default_storage.exists(unused)

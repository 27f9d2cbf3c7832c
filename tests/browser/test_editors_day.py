"""The editor's day in Chromium: a writer types an article in CKEditor and sends it for review,
an editor reads the diff, schedules it and publishes it, a reader finds it."""

import datetime
import re

import pytest
from django.utils import timezone

from articles.models import Article
from tests.browser.conftest import log_in, wait_for_editor
from tests.photo_files import encode, photo

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

EDITABLE = "iframe.cke_wysiwyg_frame"

# Clipboard HTML as a hostile page would put it there: a script, an event handler and a
# javascript: link around some harmless text.
HOSTILE = (
    '<p>نص ملصوق من موقع آخر <img src="/nothing.png" onerror="window.pwned=1">'
    '<a href="javascript:window.pwned=2">رابط خادع</a></p>'
    "<script>window.pwned=3</script>"
    '<p onmouseover="window.pwned=4">فقرة ملصوقة</p>'
)
PASTE = """(html) => {
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "نص ملصوق");
  const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true,
                                              cancelable: true });
  CKEDITOR.instances.id_body.editable().$.dispatchEvent(event);
}"""


def toolbar(page, name):
    page.click(f"#cke_id_body .cke_button__{name}")


def dialog_field(page, tab, field):
    """The input of a field of the open CKEditor dialog, found through the dialog's API."""
    page.wait_for_function(
        "() => CKEDITOR.dialog.getCurrent() && CKEDITOR.dialog.getCurrent()._.tabs"
    )
    element_id = page.evaluate(
        "([tab, field]) => CKEDITOR.dialog.getCurrent().getContentElement(tab, field)"
        ".getInputElement().$.id",
        [tab, field],
    )
    return page.locator(f"[id='{element_id}']")


def insert_link(page, text, url):
    toolbar(page, "link")
    # The address first: the dialog may copy it into an empty display text as it is typed.
    dialog_field(page, "info", "url").fill(url)
    dialog_field(page, "info", "linkDisplayText").fill(text)
    # Both values must be in the dialog (not only typed before it had set its fields up) when
    # OK is pressed; on a loaded machine the link once came out with its address as its text.
    page.wait_for_function(
        """([text, url]) => {
            const dialog = CKEDITOR.dialog.getCurrent();
            return dialog && dialog.getValueOf('info', 'linkDisplayText') === text
                && dialog.getValueOf('info', 'url') === url.replace(/^https:\\/\\//, '');
        }""",
        arg=[text, url],
    )
    page.click(".cke_dialog_ui_button_ok:visible")
    page.wait_for_function("() => !CKEDITOR.dialog.getCurrent()")


def upload_image(page, file_path, alt):
    """Through the image dialog's upload tab, as an editor picks a photo from their computer."""
    toolbar(page, "image")
    page.wait_for_function("() => CKEDITOR.dialog.getCurrent()")
    page.click(".cke_dialog_tab[id^='cke_Upload_']")
    page.frame_locator("iframe.cke_dialog_ui_input_file:visible").locator(
        "input[type=file]"
    ).set_input_files(str(file_path))
    page.click(".cke_dialog_ui_fileButton:visible")
    # The dialog uploads the file, then shows the image's details with its new address.
    page.wait_for_function(
        "() => CKEDITOR.dialog.getCurrent().getValueOf('info', 'txtUrl').includes('/media/uploads/')"
    )
    dialog_field(page, "info", "txtAlt").fill(alt)
    page.click(".cke_dialog_ui_button_ok:visible")
    page.wait_for_function("() => !CKEDITOR.dialog.getCurrent()")


def submit(page, button):
    """Clicks a form's submit button and waits for the page the server answers with."""
    with page.expect_navigation():
        page.click(button)
    assert page.locator(".errornote, .errorlist").count() == 0, page.locator(
        "#content"
    ).inner_text()


def editor_data(page):
    return page.evaluate("CKEDITOR.instances.id_body.getData()")


@pytest.fixture
def newsroom(make_user, make_section):
    section = make_section(name="محليات", slug="local")
    return {"writer": make_user("writer"), "editor": make_user("editor"), "section": section}


def test_the_editors_day(new_page, newsroom, tmp_path, settings):
    writer, editor = newsroom["writer"], newsroom["editor"]
    picture = tmp_path / "ميدان.jpg"
    picture.write_bytes(encode(photo((800, 533))))
    headline = "افتتاح مكتبة الحي الجديدة"

    # The writer logs in and opens a new article: CKEditor loads quietly, right to left.
    page = new_page()
    log_in(page, writer.username, next_path="/admin/articles/article/add/")
    wait_for_editor(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".cke_notification").count() == 0  # no "not secure" version banner
    body = page.frame_locator(EDITABLE).locator("body")
    assert body.evaluate("b => getComputedStyle(b).direction") == "rtl"
    assert body.evaluate("b => b.ownerDocument.documentElement.dir") == "rtl"

    page.fill("#id_headline", headline)
    page.select_option("#id_section", label="محليات")

    # Typing Arabic, with a bold word, a list and a link.
    body.click()
    page.keyboard.type("افتتحت البلدية صباح اليوم ")
    toolbar(page, "bold")
    page.keyboard.type("مكتبة عامة")
    toolbar(page, "bold")
    page.keyboard.type(" في وسط الحي.")
    page.keyboard.press("Enter")
    toolbar(page, "bulletedlist")
    page.keyboard.type("قاعة للأطفال")
    page.keyboard.press("Enter")
    page.keyboard.type("ركن للصحف")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # leaves the list
    page.keyboard.type("التفاصيل في ")
    insert_link(page, "موقع البلدية", "https://example.org/library")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    upload_image(page, picture, "واجهة المكتبة")

    assert page.errors == [], page.errors  # CKEditor loaded and worked without a console error

    # A page copied from elsewhere, pasted with its script, handler and javascript: link.
    page.keyboard.press("Control+End")
    page.evaluate(PASTE, HOSTILE)
    page.wait_for_function("() => CKEDITOR.instances.id_body.getData().includes('فقرة ملصوقة')")

    data = editor_data(page)
    assert re.search(r"<strong>مكتبة عامة</strong>", data), data
    assert re.search(r"<ul>\s*<li>قاعة للأطفال</li>\s*<li>ركن للصحف</li>\s*</ul>", data), data
    assert 'href="https://example.org/library"' in data, data
    assert re.search(r'<img alt="واجهة المكتبة"[^>]* src="/media/uploads/', data), data

    # Save the draft, add a sentence, and send it for review.
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))
    article_id = int(re.search(r"/article/(\d+)/change/", page.url).group(1))
    article = Article.objects.get(pk=article_id)
    assert article.status == Article.Status.DRAFT and article.headline == headline
    # CKEditor itself drops the script and the handlers but keeps the javascript: link; the
    # server's sanitiser removes it before anything is stored.
    assert "javascript:" in data and "javascript:" not in article.body, article.body
    wait_for_editor(page)
    page.frame_locator(EDITABLE).locator("li", has_text="ركن للصحف").click()
    page.keyboard.press("End")
    page.keyboard.type(" ومقهى ثقافي")
    submit(page, "button[name=_transition][value=review]")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    # Only the pasted picture's missing file, shown inside the editor, failed to load.
    assert [e for e in page.errors if "/nothing.png" not in e] == [], page.errors

    # The editor opens the history and compares the two saved versions.
    desk = new_page()
    log_in(desk, editor.username, next_path=f"/admin/articles/article/{article_id}/history/")
    desk.click(".workflow-revisions button:not([form])")
    desk.wait_for_url(re.compile(r"/compare/"))
    added = desk.locator(".workflow-diff tr.changed ins").all_inner_texts()
    assert any("مقهى ثقافي" in text for text in added), added

    # Scheduled for tomorrow: readers do not see it yet.
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    desk.goto(f"/admin/articles/article/{article_id}/change/")
    wait_for_editor(desk)
    desk.fill("#id_published_at_0", tomorrow.strftime("%Y-%m-%d"))
    desk.fill("#id_published_at_1", tomorrow.strftime("%H:%M:%S"))
    submit(desk, "button[name=_transition][value=published]")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.is_scheduled
    reader = new_page(width=360, height=740)
    assert reader.goto(article.get_absolute_url()).status == 404
    reader.errors.clear()  # that 404 was expected
    reader.goto("/")
    assert reader.get_by_text(headline).count() == 0

    # Published now.
    now = timezone.localtime() - datetime.timedelta(minutes=1)
    desk.goto(f"/admin/articles/article/{article_id}/change/")
    wait_for_editor(desk)
    desk.fill("#id_published_at_0", now.strftime("%Y-%m-%d"))
    desk.fill("#id_published_at_1", now.strftime("%H:%M:%S"))
    submit(desk, "input[name=_continue]")
    article.refresh_from_db()
    assert article.is_published
    assert desk.errors == [], desk.errors

    # The reader finds it on the front page and opens it.
    reader.goto("/")
    reader.get_by_role("link", name=headline).first.click()
    reader.wait_for_load_state("load")
    assert reader.locator("h1").inner_text() == headline
    text = reader.locator(".article-body")
    assert text.locator("strong", has_text="مكتبة عامة").count() == 1
    assert text.locator("ul li").all_inner_texts() == ["قاعة للأطفال", "ركن للصحف ومقهى ثقافي"]
    assert text.locator("a[href='https://example.org/library']").inner_text() == "موقع البلدية"
    image = text.locator("img[alt='واجهة المكتبة']")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 800
    assert "فقرة ملصوقة" in text.inner_text()

    # Nothing hostile survived: no script, no handler, no javascript: link, nothing ran.
    html = text.inner_html()
    assert "<script" not in html and "pwned" not in html, html
    assert not re.search(r"\son\w+=", html), html
    assert "javascript:" not in html, html
    assert reader.evaluate("window.pwned") is None
    assert reader.errors == [], reader.errors

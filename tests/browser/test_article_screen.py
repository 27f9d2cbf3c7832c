"""The article screen in Chromium: a wide body editor, the publish box in view without
scrolling, one column on a phone with nothing wider than the screen, Ctrl+S, the word count,
the autosave state; and screenshots of it for each role (artifacts/screenshots/)."""

import re

import pytest

from articles.models import Article
from tests.browser.conftest import log_in, run_axe, wait_for_editor

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

DESKTOPS = [(1366, 900), (1024, 768)]
BODY = "".join(
    f"<p>فقرة رقم {n} من نص الخبر الطويل عن افتتاح المكتبة في الحي.</p>" for n in range(30)
)


@pytest.fixture
def story(make_user, make_section, make_article):
    writer = make_user("writer")
    section = make_section(name="محليات", slug="local")
    article = make_article(
        headline="افتتاح مكتبة الحي الجديدة",
        kicker="ثقافة",
        summary="البلدية تفتتح مكتبة عامة في وسط الحي.",
        body=BODY,
        section=section,
        status=Article.Status.DRAFT,
        published_at=None,
        authors=[writer.author],
        created_by=writer,
    )
    return {"writer": writer, "article": article}


def open_article(new_page, user, article, width, height, bypass_csp=False):
    page = new_page(width=width, height=height, bypass_csp=bypass_csp)
    log_in(page, user.username, next_path=f"/admin/articles/article/{article.pk}/change/")
    wait_for_editor(page)
    return page


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize(("width", "height"), DESKTOPS, ids=["1366x900", "1024x768"])
@pytest.mark.parametrize("role", ["writer", "editor", "admin"])
def test_a_wide_body_and_the_publish_box_in_view(
    new_page, make_user, story, artifacts, width, height, role
):
    user = story["writer"] if role == "writer" else make_user(role)
    page = open_article(new_page, user, story["article"], width, height)
    page.screenshot(path=str(artifacts / f"article-{role}-{width}x{height}.png"), full_page=True)

    editor = box(page, "#cke_id_body")
    assert editor["width"] >= 0.6 * width, editor
    # The side column is at the inline end: left of the body in a right-to-left page.
    publish = box(page, "#article-publish-box")
    assert publish["x"] + publish["width"] <= editor["x"] + 1, (publish, editor)
    # The publish box, its preview link and first button, in view without scrolling.
    assert page.evaluate("window.scrollY") == 0
    assert 0 <= publish["y"] < height, publish
    preview = page.get_by_role("link", name="معاينة كما يراها القارئ")
    assert preview.get_attribute("href") == f"/preview/{story['article'].pk}/"
    first_button = box(page, "#article-publish-box .submit-row input, #article-publish-box button")
    assert first_button["y"] + first_button["height"] <= height, first_button
    # The body grows with its text rather than scrolling inside a short box.
    frame = box(page, "#cke_id_body iframe.cke_wysiwyg_frame")
    content = page.evaluate(
        "CKEDITOR.instances.id_body.document.getDocumentElement().$.scrollHeight"
    )
    assert frame["height"] + 2 >= content, (frame, content)
    assert page.errors == [], page.errors


def test_a_phone_stacks_the_columns(new_page, story, artifacts):
    page = open_article(new_page, story["writer"], story["article"], 390, 844)
    page.screenshot(path=str(artifacts / "article-writer-390x844.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    editor, publish = box(page, "#cke_id_body"), box(page, "#article-publish-box")
    assert publish["y"] >= editor["y"] + editor["height"], (publish, editor)
    assert editor["width"] >= 0.85 * 390, editor
    assert page.errors == [], page.errors


def test_word_count_ctrl_s_and_the_autosave_state(new_page, story, settings):
    settings.AUTOSAVE_INTERVAL_SECONDS = 1
    article = story["article"]
    page = open_article(new_page, story["writer"], article, 1366, 900)
    # 30 paragraphs of 12 words (the number counts as a word): 360 words, 2 minutes.
    page.wait_for_function(
        "() => document.getElementById('article-words').textContent.includes('360')"
    )
    assert page.locator("#article-words").inner_text() == "360 كلمة"
    assert page.locator("#article-reading-time").inner_text() == "قراءة في دقيقتين"

    page.frame_locator("iframe.cke_wysiwyg_frame").locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.type(" وأضيفت جملة أخرى")
    page.wait_for_function(
        "() => document.getElementById('article-words').textContent.includes('363')"
    )
    # The autosave reports itself in the publish box.
    page.wait_for_function(
        "() => document.getElementById('article-autosave-state').textContent.includes('حُفظت مسودة')"
    )
    assert page.locator("#article-autosave-state").inner_text() == "حُفظت مسودة قبل لحظات"

    # Ctrl+S inside the editor saves the draft and stays on the article, state unchanged.
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    page.wait_for_url(re.compile(rf"/admin/articles/article/{article.pk}/change/"))
    article.refresh_from_db()
    assert "وأضيفت جملة أخرى" in article.body
    assert article.status == Article.Status.DRAFT
    assert page.locator(".messagelist .success").count() == 1

    # And from a plain field of the page.
    wait_for_editor(page)
    page.fill("#id_kicker", "ثقافة وفنون")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    article.refresh_from_db()
    assert article.kicker == "ثقافة وفنون" and article.status == Article.Status.DRAFT


def test_the_article_screen_has_no_serious_violations(new_page, make_user, story, axe_path):
    page = open_article(new_page, make_user("editor"), story["article"], 1366, 900, True)
    found = [v for v in run_axe(page, axe_path) if v["impact"] in {"serious", "critical"}]
    assert found == [], "\n".join(f"{v['id']}: {v['nodes']}" for v in found)

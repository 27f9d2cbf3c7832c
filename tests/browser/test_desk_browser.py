"""The desk in Chromium: what a writer, an editor and an admin see after logging in, with
screenshots (artifacts/screenshots/desk-*.png), axe-core, and a phone's width."""

import pytest

from tests.browser.conftest import log_in, run_axe
from tests.workflow.test_desk import newsroom_day

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def newsroom(make_user, make_article):
    staff = {role: make_user(role) for role in ("writer", "editor", "admin")}
    newsroom_day(make_article, staff["writer"], staff["editor"], copies=3)
    return staff


PANELS = {
    "writer": ["مسوداتي", "أُعيد إليك للتعديل", "نُشر في آخر 24 ساعة"],
    "editor": ["بانتظار المراجعة", "مجدول لليوم", "الشريط العاجل", "نُشر في آخر 24 ساعة"],
    "admin": ["بانتظار المراجعة", "مجدول لليوم", "الشريط العاجل", "نُشر في آخر 24 ساعة"],
}


@pytest.mark.parametrize("role", ["writer", "editor", "admin"])
def test_each_role_lands_on_its_desk(new_page, newsroom, artifacts, axe_path, role):
    page = new_page(width=1366, height=900, bypass_csp=True)
    log_in(page, newsroom[role].username)
    page.screenshot(path=str(artifacts / f"desk-{role}-1366x900.png"), full_page=True)
    headings = page.locator(".desk-panel h3").all_inner_texts()
    assert headings[: len(PANELS[role])] == PANELS[role] or set(PANELS[role]) <= set(headings)
    if role == "writer":
        assert not {"بانتظار المراجعة", "الشريط العاجل"} & set(headings)
        assert "اختصر المقدمة وأضف مصدرًا" in page.locator(".desk-returned").inner_text()
    # The "new article" button, in view on arrival, opens the article screen.
    button = page.get_by_role("link", name="مقال جديد")
    assert button.bounding_box()["y"] < 900
    found = [v for v in run_axe(page, axe_path) if v["impact"] in {"serious", "critical"}]
    assert found == [], "\n".join(f"{v['id']}: {v['nodes']}" for v in found)
    assert page.errors == [], page.errors
    with page.expect_navigation():
        button.click()
    assert page.url.endswith("/admin/articles/article/add/")


def test_the_desk_fits_a_phone(new_page, newsroom, artifacts):
    page = new_page(width=390, height=844)
    log_in(page, newsroom["editor"].username)
    page.screenshot(path=str(artifacts / "desk-editor-390x844.png"), full_page=True)
    assert page.locator(".desk-panel").count() >= 4
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

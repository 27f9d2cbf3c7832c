"""axe-core (WCAG 2 A/AA and best-practice rules) on the reader pages and the article form:
no serious or critical violation."""

import pytest

from photos import renditions
from tests.browser.conftest import log_in, run_axe, wait_for_editor
from tests.photo_files import encode, photo
from tests.photos.test_photo_renditions import store_original

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

BLOCKING = {"serious", "critical"}


@pytest.fixture
def paper(make_article, make_section, make_author, make_tag):
    """A small newspaper: two sections, photos, bylines, tags, an article to read."""
    sports = make_section(name="رياضة", slug="sports")
    economy = make_section(name="اقتصاد", slug="economy")
    name = store_original(encode(photo((1200, 800))))
    renditions.sync(name)
    author = make_author(name="ليلى حسن")
    tag = make_tag("الدوري")
    for number in range(3):
        make_article(section=economy, headline=f"أسعار السوق اليوم رقم {number}")
    make_article(section=sports, headline="فوز الفريق في المباراة الأولى", authors=[author])
    return make_article(
        section=sports,
        headline="الفريق يستعد للمباراة النهائية",
        summary="تدريبات مكثفة قبل النهائي.",
        body="<p>يواصل الفريق تدريباته.</p><ul><li>الحراسة</li></ul>"
        '<p><a href="https://example.org">المصدر</a></p>',
        authors=[author],
        tags=[tag],
        lead_image=name,
        lead_image_alt="لاعبون في الملعب",
    )


def blocking(violations):
    return [v for v in violations if v["impact"] in BLOCKING]


@pytest.mark.parametrize(
    "path",
    ["/", "article", "/section/sports/", "/search/?q=الفريق"],
    ids=["home", "article", "section", "search"],
)
def test_reader_pages_have_no_serious_violations(new_page, paper, axe_path, path):
    page = new_page(bypass_csp=True)
    response = page.goto(paper.get_absolute_url() if path == "article" else path)
    assert response.status == 200
    page.wait_for_load_state("load")
    if path.startswith("/search/"):
        assert page.locator(".search-result").count() >= 1  # a page with results
    found = blocking(run_axe(page, axe_path))
    assert found == [], "\n".join(f"{v['id']}: {v['nodes']}" for v in found)


def test_the_article_form_has_no_serious_violations(new_page, make_user, make_section, axe_path):
    make_section(name="محليات")
    writer = make_user("writer")
    page = new_page(bypass_csp=True)
    log_in(page, writer.username, next_path="/admin/articles/article/add/")
    wait_for_editor(page)
    found = blocking(run_axe(page, axe_path))
    assert found == [], "\n".join(f"{v['id']}: {v['nodes']}" for v in found)


def test_axe_finds_a_real_problem(new_page, paper, axe_path):
    """The check itself works: an image without alt text on the page is reported."""
    page = new_page(bypass_csp=True)
    page.goto(paper.get_absolute_url())
    page.evaluate("document.querySelector('.lead-image img').removeAttribute('alt')")
    assert "image-alt" in {v["id"] for v in blocking(run_axe(page, axe_path))}

"""The reader's article page as Chromium lays it out: direction, alignment, width, font, layout
shift, keyboard focus; screenshots at phone and desktop width for a person to look at."""

import pytest

from photos import renditions
from tests.browser.conftest import serve_media
from tests.photo_files import encode, photo
from tests.photos.test_photo_renditions import store_original

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

BODY = (
    "<p>أعلنت وزارة النقل اليوم عن خطة لتوسيع شبكة الحافلات في المدينة، تشمل خطوطًا جديدة "
    "تربط الأحياء الطرفية بالمركز، ومواقف مظللة، وتذاكر إلكترونية تُشحن من الهاتف.</p>"
    "<p>وقال المتحدث باسم الوزارة إن التنفيذ يبدأ الشهر المقبل على ثلاث مراحل، وإن الأسعار "
    'لن تتغير في السنة الأولى. <a href="https://example.org/plan">نص الخطة</a></p>'
    "<h2>مواعيد المراحل</h2><ul><li>المرحلة الأولى: الخطوط الشمالية.</li>"
    "<li>المرحلة الثانية: الخطوط الجنوبية.</li></ul>"
)

# Records every layout shift from the start of the page's life (buffered entries included).
CLS_OBSERVER = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    const moved = entry.sources.map((s) => s.node ? s.node.nodeName + "." + (s.node.className || "") + " from y " +
      s.previousRect.y + " to y " + s.currentRect.y : "?");
    window.__shifts.push({ value: entry.value, time: Math.round(entry.startTime), moved });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture
def article(make_article, make_author, make_tag, make_section):
    section = make_section(name="مدن", slug="cities")
    name = store_original(encode(photo((1600, 1067))))
    renditions.sync(name)
    older = make_article(section=section, headline="خبر سابق في القسم نفسه")
    article = make_article(
        section=section,
        headline="خطة جديدة لتوسيع شبكة الحافلات في المدينة",
        kicker="النقل العام",
        summary="ثلاث مراحل تبدأ الشهر المقبل.",
        body=BODY,
        authors=[make_author(name="سلمى عادل")],
        tags=[make_tag("النقل"), make_tag("المدينة")],
        lead_image=name,
        lead_image_alt="حافلة في محطة وسط المدينة",
        lead_image_caption="محطة الحافلات الرئيسية",
    )
    article.older = older
    return article


def open_article(new_page, article, width, height=800):
    page = new_page(width=width, height=height)
    page.add_init_script(CLS_OBSERVER)
    response = page.goto(article.get_absolute_url())
    assert response.status == 200
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


# The right edge of the first line of an element's text, as drawn.
TEXT_RIGHT = """(selector) => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector(selector));
  return Math.max(...[...range.getClientRects()].filter((r) => r.width > 0)
                     .slice(0, 1).map((r) => r.right));
}"""
BOX_RIGHT = "(selector) => document.querySelector(selector).getBoundingClientRect().right"


def fonts_drawing(page, selector):
    """The fonts Chromium actually drew the element's text with, most glyphs first (DevTools)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return sorted(fonts, key=lambda font: -font["glyphCount"])


@pytest.mark.parametrize("width", [360, 1280])
def test_the_article_page_reads_right_to_left(new_page, article, artifacts, width):
    page = open_article(new_page, article, width)
    page.screenshot(path=artifacts / f"article-{width}.png", full_page=True)

    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.article-body')).direction") == (
        "rtl"
    )
    # The headline starts where the text starts: the right edges of their first lines of text
    # (not of their boxes, which would line up even if the text were centred) meet.
    headline, paragraph = (page.evaluate(TEXT_RIGHT, s) for s in ("h1.headline", ".article-body p"))
    assert abs(headline - paragraph) <= 1.5, (headline, paragraph)
    assert abs(paragraph - page.evaluate(BOX_RIGHT, ".article-body")) <= 1.5
    # Nothing wider than the screen.
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    # The Arabic web font is loaded and is what the text is drawn with.
    fonts = page.evaluate(
        """() => [...document.fonts].filter((f) => f.family.replace(/"/g, "") === "Noto Naskh Arabic")
                  .map((f) => [f.weight, f.status])"""
    )
    assert ["400", "loaded"] in fonts and ["700", "loaded"] in fonts, fonts
    assert page.evaluate("document.fonts.check('16px \"Noto Naskh Arabic\"', 'نص')")
    for selector in (".article-body p", "h1.headline"):
        used = fonts_drawing(page, selector)
        assert used and used[0]["familyName"] == "Noto Naskh Arabic", (selector, used)
        assert used[0]["isCustomFont"], used
    image = page.locator(".lead-image img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.errors == [], page.errors


def slow_network(page, settings):
    """A slow phone connection: the text is painted long before the photo arrives, so a photo
    without its place kept would push the text down when it comes."""
    page.route("**/media/**", serve_media(settings, delay=1.0))
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": 150_000, "uploadThroughput": -1},
    )


def cumulative_shift(new_page, settings, article, rewrite=None):
    page = new_page(width=360, height=740)
    slow_network(page, settings)
    page.add_init_script(CLS_OBSERVER)
    if rewrite:

        def handle(route):
            response = route.fetch()
            route.fulfill(response=response, body=rewrite(response.text()))

        page.route(lambda url: f"/news/{article.pk}/" in url, handle)
    page.goto(article.get_absolute_url())
    page.wait_for_load_state("load")
    assert page.locator(".lead-image img").evaluate("img => img.complete && img.naturalWidth > 0")
    page.wait_for_timeout(200)  # let the observer report the last frame
    shifts = page.evaluate("window.__shifts")
    return sum(shift["value"] for shift in shifts), shifts


def test_the_lead_photo_keeps_its_place_while_it_loads(new_page, settings, article):
    total, shifts = cumulative_shift(new_page, settings, article)
    assert total < 0.01, shifts


def test_the_shift_check_sees_a_photo_without_its_size(new_page, settings, article):
    """The same page with the photo's width and height taken out does shift: the check works."""
    import re

    strip = lambda html: re.sub(r'<img([^>]*?) width="\d+" height="\d+"', r"<img\1", html)  # noqa: E731
    total, shifts = cumulative_shift(new_page, settings, article, rewrite=strip)
    assert total > 0.05, shifts


def test_the_phone_never_scrolls_sideways(new_page, article):
    page = open_article(new_page, article, 360, 740)
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
             .filter((e) => e.getBoundingClientRect().left < -0.5
                        || e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
             .filter((e) => !e.closest(".skip-link, .visually-hidden, .site-nav ul"))
             .map((e) => e.tagName + "." + e.className)"""
    )
    assert overflowing == []
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


FOCUS_STYLE = """(el) => {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join("|");
}"""


def test_the_keyboard_reaches_every_link_with_a_visible_focus(new_page, article):
    page = open_article(new_page, article, 1280)
    links = page.evaluate("[...document.querySelectorAll('a[href]')].map((a) => a.href)")
    unfocused = {}
    for index in range(len(links)):
        unfocused[index] = page.locator("a[href]").nth(index).evaluate(FOCUS_STYLE)
    reached = {}
    for _ in range(len(links) + 10):  # every link, plus the search field and button
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const a = document.activeElement;
                       return a.matches("a[href]")
                         ? [...document.querySelectorAll("a[href]")].indexOf(a) : -1; }"""
        )
        if focused >= 0 and focused not in reached:
            style = page.evaluate(f"({FOCUS_STYLE})(document.activeElement)")
            visible = page.evaluate(
                """() => { const r = document.activeElement.getBoundingClientRect();
                           return r.width > 0 && r.height > 0
                             && r.bottom > 0 && r.top < innerHeight; }"""
            )
            reached[focused] = (style, visible)
    assert sorted(reached) == list(range(len(links))), [
        links[i] for i in range(len(links)) if i not in reached
    ]
    for index, (style, visible) in reached.items():
        assert visible, links[index]
        assert style != unfocused[index], (links[index], style)
        assert "none" not in style.split("|")[0] or style.split("|")[3] != "none", links[index]

"""Left-to-right runs in Arabic paragraphs, as Chromium draws them: the characters of an address,
a file name or code must appear left to right in the order they were written."""

import itertools

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

# Short paragraphs, so that each run sits on one line at the test's width.
BODY = (
    "<p>تابعوا الأخبار على https://www.apple.com/newsroom/ كل صباح.</p>"
    "<p>راسلونا على desk@example.org اليوم.</p>"
    "<p>عدّلوا الملف ~/.bashrc أولا.</p>"
    "<p>كتبت البرنامج بلغة C++ أمس.</p>"
    "<p>أعلنت شركة Apple عن iPhone بسعر 999 دولارا.</p>"
)
# Runs with a neutral character at an edge: drawn out of order unless isolated.
NEUTRAL_EDGES = ["https://www.apple.com/newsroom/", "~/.bashrc", "C++"]
# Isolated too (an address), though its letter edges already kept it in order.
ADDRESS = "desk@example.org"
UNCHANGED = ["Apple", "iPhone", "999"]

# The horizontal centre and the top of each character of ``needle`` in the article's body,
# found in its text nodes wherever tags (<a>, <bdi>) cut it.
CHARACTER_BOXES = """([selector, needle]) => {
  const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, text.length]);
    text += walker.currentNode.data;
  }
  const at = text.indexOf(needle);
  if (at < 0) return null;
  const boxes = [];
  for (let i = at; i < at + needle.length; i++) {
    const [node, start] = nodes.filter(([, s]) => s <= i).pop();
    const range = document.createRange();
    range.setStart(node, i - start);
    range.setEnd(node, i - start + 1);
    const box = range.getBoundingClientRect();
    boxes.push([box.left + box.width / 2, Math.round(box.top)]);
  }
  return boxes;
}"""


def character_boxes(page, needle):
    boxes = page.evaluate(CHARACTER_BOXES, [".article-body", needle])
    assert boxes, f"{needle!r} is not on the page"
    assert len({top for _, top in boxes}) == 1, f"{needle!r} wraps: widen the page"
    return [x for x, _ in boxes]


def drawn_in_written_order(page, needle):
    xs = character_boxes(page, needle)
    return all(left < right for left, right in itertools.pairwise(xs))


@pytest.fixture
def open_body(make_article, new_page):
    def open_it():
        article = make_article(headline="عناوين ومعرّفات في النص", body=BODY)
        page = new_page(width=1280)
        assert page.goto(article.get_absolute_url()).status == 200
        page.evaluate("document.fonts.ready.then(() => true)")
        return page

    return open_it


def test_addresses_file_names_and_code_are_drawn_in_written_order(open_body):
    page = open_body()
    for needle in [*NEUTRAL_EDGES, ADDRESS, *UNCHANGED]:
        assert drawn_in_written_order(page, needle), needle
    isolated = page.locator(".article-body bdi").all_inner_texts()
    assert isolated == [*NEUTRAL_EDGES[:1], ADDRESS, *NEUTRAL_EDGES[1:]]
    # The run still sits where the sentence puts it: after على, that is to its left.
    url = character_boxes(page, "https://www.apple.com/newsroom/")
    before = character_boxes(page, "على https")[0]
    assert before > max(url)
    assert page.errors == []


def test_without_isolation_the_edges_are_drawn_on_the_wrong_side(open_body, monkeypatch):
    """The measurement sees the bug the isolation fixes: today's code failed the test above."""
    monkeypatch.setattr("articles.sanitize.ltr_spans", lambda text: [])
    page = open_body()
    assert page.locator(".article-body bdi").count() == 0
    for needle in NEUTRAL_EDGES:
        assert not drawn_in_written_order(page, needle), needle
    for needle in [ADDRESS, *UNCHANGED]:
        assert drawn_in_written_order(page, needle), needle

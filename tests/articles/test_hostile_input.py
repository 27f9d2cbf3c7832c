"""Hostile input: injection payloads against the body sanitiser, user text that must render as
text, and garbage in every URL parameter (answered 4xx or a page, never 500)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.sanitize import clean_body

# Executable constructs that must never survive cleaning. The cleaned HTML is parsed as
# markup (entities decoded, as a browser would), so text that merely reads like code
# ("&lt; onerror=") is not mistaken for a tag or an attribute.
DANGEROUS_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "base", "form", "input",
    "button", "meta", "link", "frame", "frameset", "applet", "template", "noscript", "xmp",
    "plaintext", "textarea", "select", "video", "audio", "source", "isindex", "marquee",
}  # fmt: skip
DANGEROUS_ATTRIBUTES = {"style", "srcset", "formaction", "xlink:href"}
DANGEROUS_SCHEME = re.compile(r"^[\s\x00-\x20]*(javascript|vbscript|data|livescript)\s*:", re.I)


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in DANGEROUS_ATTRIBUTES:
                self.found.append(f"{tag}[{name}]")
            # Browsers drop tabs, newlines and control characters inside a URL's scheme.
            elif name in ("href", "src") and DANGEROUS_SCHEME.match(
                re.sub(r"[\x00-\x20]", "", value or "")
            ):
                self.found.append(f"{tag}[{name}={value}]")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"</{tag}>")


def executable(html):
    """The executable constructs a browser would find in ``html`` (empty when safe)."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.found


PAYLOADS = [
    # script tags, plain and malformed
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/x>alert(1)</script>",
    "<<script>alert(1);//<</script>",
    "<script\n>alert(1)</script\n>",
    "<p>ok</p><script>document.cookie</script><p>ok</p>",
    # event handlers
    '<img src="/media/a.jpg" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<p onclick="alert(1)">click</p>',
    '<a href="/x" onmouseover=alert(1)>x</a>',
    "<body onload=alert(1)>",
    '<div/onmouseover="alert(1)">x</div>',
    "<details open ontoggle=alert(1)>",
    '<p ONCLICK = "alert(1)">x</p>',
    # javascript:/data:/vbscript: URLs, obfuscated
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="javascript&#58;alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<img src="javascript:alert(1)">',
    '<img src="//evil.example/media/x.jpg">',
    '<img src="/media/../admin/x.jpg">',
    '<a href="javascript://%0aalert(1)">x</a>',
    # SVG and MathML tricks
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    # mutation-XSS style nesting, comments, CDATA
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="javascript:/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=//evil.example/x.css>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p style="behavior:url(x.htc)">x</p>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<img srcset="javascript:alert(1)">',
    # encoded variants (must stay text)
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    # unclosed and deeply nested
    "<p><strong><em>" * 200 + "text",
    "<table><tr><td><script>alert(1)</script>",
    "<a href='/x'><a href='javascript:alert(1)'>nested</a></a>",
    "<p>‮txt.exe‬ منعكس</p>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_the_sanitiser(payload):
    cleaned = clean_body(payload)
    assert executable(cleaned) == [], cleaned
    assert clean_body(cleaned) == cleaned  # idempotent


def test_safe_markup_survives():
    body = '<p>نص <strong>عريض</strong> و<a href="https://example.com/x">رابط</a></p>'
    cleaned = clean_body(body)
    assert "<strong>عريض</strong>" in cleaned
    assert 'href="https://example.com/x"' in cleaned


HTML_PIECES = st.sampled_from(
    [
        "<",
        ">",
        "/",
        "=",
        '"',
        "'",
        " ",
        "\t",
        "\n",
        "\x00",
        "&",
        "#",
        ";",
        ":",
        "!--",
        "-->",
        "script",
        "img",
        "svg",
        "math",
        "style",
        "a",
        "p",
        "iframe",
        "src",
        "href",
        "on",
        "onerror",
        "javascript",
        "data",
        "vbscript",
        "&#58;",
        "&#x3A;",
        "&colon;",
        "alert(1)",
        "/media/x.jpg",
        "<![CDATA[",
        "]]>",
        "مرحبا",
        "\u202e",
    ]
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(HTML_PIECES | st.text(max_size=5), max_size=40).map("".join))
def test_fuzzed_markup_never_comes_out_executable(html):
    cleaned = clean_body(html)
    assert executable(cleaned) == [], cleaned
    assert clean_body(cleaned) == cleaned


# -- user text rendered as text -------------------------------------------------------------

HOSTILE_TEXT = '<script>alert("x")</script><img src=x onerror=alert(1)> \u202eمقلوب'


def test_user_fields_render_as_text_on_reader_pages_and_feeds(
    client, make_article, make_author, make_tag, make_section
):
    author = make_author(name=HOSTILE_TEXT, slug="hostile-author")
    tag = make_tag(HOSTILE_TEXT, slug="hostile-tag")
    section = make_section(name=HOSTILE_TEXT, slug="hostile-section")
    article = make_article(
        headline=HOSTILE_TEXT,
        summary=HOSTILE_TEXT,
        lead_image_caption=HOSTILE_TEXT,
        authors=[author],
        tags=[tag],
        section=section,
    )
    pages = [
        "/",
        article.get_absolute_url(),
        author.get_absolute_url(),
        tag.get_absolute_url(),
        section.get_absolute_url(),
        "/feed/",
        "/feed/atom/",
        "/search/?q=مقلوب",
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert "<script>alert" not in content, url
        assert "<img src=x onerror" not in content, url
        assert "&lt;script&gt;" in content or "&amp;lt;script" in content, url


def test_user_fields_render_as_text_in_the_admin(admin_client, make_article):
    article = make_article(headline=HOSTILE_TEXT, summary=HOSTILE_TEXT)
    for url in (
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
    ):
        content = admin_client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "&lt;script&gt;" in content


# -- garbage in URL parameters --------------------------------------------------------------

GARBAGE = [
    "-1", "0", "99999999999999999999999999", "1e309", "NaN", "١٢٣", "\x00", "%00", "a" * 10_000,
    "<script>", "' OR 1=1 --", "&", "!@#$%^&*()", "\u202e", "2024-02-30", "9999-12-31",
    "0001-01-01", "-0001-01-01", "𝟙𝟚", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
]  # fmt: skip


@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_query_parameters_never_make_a_server_error(client, make_article, value):
    make_article()
    for path in ("/", "/latest/", "/search/", "/feed/", "/archive/2024/"):
        for name in ("q", "page", "from", "to", "section", "type"):
            response = client.get(path, {name: value})
            assert response.status_code < 500, (path, name, value)


@pytest.mark.parametrize(
    "path",
    [
        "/archive/0/",
        "/archive/99999999999999999999/",
        "/archive/9999/",
        "/archive/1/1/1/",
        "/archive/9999/12/31/",
        "/archive/2024/13/",
        "/archive/2024/0/",
        "/archive/2024/2/30/",
        "/archive/2024/99999999999999999/1/",
        "/news/0/",
        "/news/99999999999999999999999/",
        "/news/9223372036854775808/x/",
        "/read/99999999999999999999/",
        "/preview/share/" + "a" * 10_000 + "/",
        "/preview/share/..%2F..%2Fetc/",
        "/preview/share/%00/",
        "/preview/99999999999999999999/",
        "/author/%00/",
        "/tag/" + "ب" * 5000 + "/",
        "/section/%E2%80%AE/feed/",
        "/sitemap-nothing.xml",
        "/sitemap-news.xml?p=-1",
        "/sitemap-articles.xml?p=99999999999999999999",
    ],
)
def test_garbage_paths_answer_4xx(client, db, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500 or response.status_code in (200, 301, 302), path
    assert response.status_code < 500


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(["/", "/latest/", "/search/", "/feed/", "/archive/2024/3/"]),
    name=st.sampled_from(["q", "page", "from", "to", "section"]),
    value=st.text(max_size=300) | st.integers().map(str),
)
def test_fuzzed_query_parameters_never_make_a_server_error(client, db, path, name, value):
    response = client.get(path, {name: value})
    assert response.status_code < 500, (path, name, value)


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    year=st.integers(min_value=-10, max_value=10**20),
    month=st.integers(min_value=0, max_value=10**12),
    day=st.integers(min_value=0, max_value=10**12),
)
def test_fuzzed_archive_dates_never_make_a_server_error(client, db, year, month, day):
    for path in (
        f"/archive/{year}/",
        f"/archive/{year}/{month}/",
        f"/archive/{year}/{month}/{day}/",
    ):
        assert client.get(path).status_code < 500, path


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    token=st.text(min_size=1, max_size=200).filter(lambda t: "/" not in t)
    | st.binary(max_size=100).map(lambda b: __import__("base64").urlsafe_b64encode(b).decode()),
    kind=st.sampled_from(["share", "feed-section", "feed-tag", "feed-author", "author"]),
)
def test_fuzzed_tokens_and_slugs_never_make_a_server_error(client, db, token, kind):
    from urllib.parse import quote

    quoted = quote(token, safe="")
    path = {
        "share": f"/preview/share/{quoted}/",
        "feed-section": f"/section/{quoted}/feed/",
        "feed-tag": f"/tag/{quoted}/feed/atom/",
        "feed-author": f"/author/{quoted}/feed/",
        "author": f"/author/{quoted}/",
    }[kind]
    assert client.get(path).status_code < 500, path

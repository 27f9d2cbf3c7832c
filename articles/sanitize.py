"""Server-side cleaning of article bodies: what CKEditor sends is never trusted."""

import html
import re

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "u", "ul", "ol", "li", "blockquote",
    "a", "img", "figure", "figcaption",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Elements whose content is dropped with them, not kept as text.
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
}  # fmt: skip

# nh3's output is well-formed and attribute values are quoted, so this only needs to spot an
# <img> that lost its src to the filter below.
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


_TAG = re.compile(r"<[^>]*>")


def _is_own_media(url):
    media_url = settings.MEDIA_URL
    return url.startswith(media_url) and not url.startswith("//") and ".." not in url


def _filter_attribute(element, attribute, value):
    if element == "img" and attribute == "src":
        return value if _is_own_media(value) else None
    if element == "img" and attribute in {"width", "height"}:
        return value if value.isdigit() else None
    return value


def clean_body(html):
    """Return ``html`` reduced to the news allow-list: safe to show readers as it is."""
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _IMG_WITHOUT_SRC.sub("", cleaned).strip()


def plain_text(cleaned_html):
    """Return the words of a cleaned body, with a space where each tag was."""
    return " ".join(html.unescape(_TAG.sub(" ", cleaned_html or "")).split())

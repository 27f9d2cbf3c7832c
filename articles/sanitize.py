"""Server-side cleaning of article bodies: what CKEditor sends is never trusted.

Cleaning also isolates left-to-right runs (web and e-mail addresses, file names, code) whose
edge characters are neutral: in a right-to-left paragraph ``https://example.com/news/`` would
otherwise be shown as ``/https://example.com/news``, the final slash taking the paragraph's
direction. ``isolate_text()`` does the same for plain text shown as HTML (summaries, captions).
"""

import html
import re

import nh3
from django.conf import settings
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "u", "ul", "ol", "li", "blockquote",
    "a", "img", "figure", "figcaption",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "bdi",
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
    return isolate_html(_IMG_WITHOUT_SRC.sub("", cleaned).strip())


def plain_text(cleaned_html):
    """Return the words of a cleaned body, with a space where each tag was."""
    return " ".join(html.unescape(_TAG.sub(" ", cleaned_html or "")).split())


# A run: words with no Arabic letter and at least one Latin letter, joined by spaces. Only its
# edges matter: neutrals inside it sit between two Latin letters and follow them.
_NOT_ARABIC = r"[^\s\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+"
_RUN = re.compile(rf"{_NOT_ARABIC}(?: +{_NOT_ARABIC})*")
_LATIN = re.compile(r"[A-Za-z]")
# Punctuation at a run's edge that belongs to the Arabic sentence around it (a closing full
# stop, comma or bracket) rather than to the address: left outside, it is placed as now.
_OUTER_END = ".,;:!?،؛؟)]}»\"'"
_OUTER_START = "([{«\"'"
# Schemes and an @ mark addresses, which are isolated whatever their edges.
_ADDRESS = re.compile(r"://|@|^www\.", re.IGNORECASE)


def ltr_spans(text):
    """``[(start, end), ...]`` of the left-to-right runs in ``text`` that need isolating.

    A run needs it when it begins or ends with a neutral character (/, ., #, +, ~ ...) or is an
    address. Latin words and numbers with letters or digits at both ends are left alone: they
    already display in order, and an isolate would change nothing a reader sees.
    """
    spans = []
    for run in _RUN.finditer(text):
        start, end = run.span()
        while start < end and text[start] in _OUTER_START:
            start += 1
        while end > start and text[end - 1] in _OUTER_END:
            end -= 1
        core = text[start:end]
        if not _LATIN.search(core):
            continue
        if not (core[0].isalnum() and core[-1].isalnum()) or _ADDRESS.search(core):
            spans.append((start, end))
    return spans


# Text escaped as nh3 (html5ever) writes it, so that cleaning a cleaned body changes nothing.
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\xa0": "&nbsp;"})


def escape_text(text):
    """``text`` escaped for HTML element content, as nh3 writes it."""
    return text.translate(_TEXT_ESCAPES)


def isolate_text(text):
    """``text`` escaped for HTML element content, each left-to-right run needing it in <bdi>."""
    text = text or ""
    pieces, position = [], 0
    for start, end in ltr_spans(text):
        pieces += [escape_text(text[position:start]), f"<bdi>{escape_text(text[start:end])}</bdi>"]
        position = end
    pieces.append(escape_text(text[position:]))
    return mark_safe("".join(pieces))


def isolate_plain(text):
    """``text`` with each left-to-right run needing it between FSI and PDI (U+2068, U+2069).

    For text that stays text (a feed's description): the characters do what <bdi> does, and
    arabic.normalize() drops them, so search never sees them.
    """
    text = text or ""
    for start, end in reversed(ltr_spans(text)):
        text = f"{text[:start]}\u2068{text[start:end]}\u2069{text[end:]}"
    return text


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_BDI_TAG = re.compile(r"</?bdi\b", re.IGNORECASE)


def isolate_html(cleaned_html):
    """Cleaned HTML with the runs of each text node isolated; text already in <bdi> is kept.

    Works on nh3's output, where every < in text is escaped, so a tag is exactly <...>. Calling
    it again changes nothing, as bodies are cleaned again on every save.
    """
    parts = _TAG_OR_TEXT.split(cleaned_html or "")
    depth = 0  # inside a <bdi>
    for index, part in enumerate(parts):
        if part.startswith("<"):
            if _BDI_TAG.match(part):
                depth += -1 if part.startswith("</") else 1
        elif part and not depth:
            text = html.unescape(part)
            if ltr_spans(text):
                parts[index] = isolate_text(text)
    return "".join(parts)

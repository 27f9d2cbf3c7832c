"""Left-to-right runs (addresses, file names, code) isolated in right-to-left text at render."""

from django import template
from django.utils.safestring import mark_safe

from articles.sanitize import isolate_html, isolate_text

register = template.Library()


@register.filter
def isolate_ltr(text):
    """Plain text (a summary, a caption) escaped, its runs with neutral edges in <bdi>."""
    return isolate_text(str(text or ""))


@register.filter
def isolate_ltr_body(cleaned_html):
    """A body cleaned by articles.sanitize, with runs isolated: bodies saved before cleaning
    isolated them get it here; a cleaned body already has it, and is returned unchanged."""
    return mark_safe(isolate_html(cleaned_html or ""))

"""Template tags for photos: everything is computed from the stored names, with no database
query and no storage request per render (see photos.renditions)."""

from dataclasses import dataclass

from django import template

from .. import renditions
from ..sharing import sharing_image

register = template.Library()

# The width the browser gets from <img src> when it reads neither srcset nor <source>.
DEFAULT_WIDTH = 960


@dataclass(frozen=True)
class Picture:
    webp_srcset: str
    fallback_srcset: str
    fallback_type: str
    src: str
    width: int
    height: int


def _picture(pairs):
    if not pairs:
        return None
    default = max(
        (pair for pair in pairs if pair[1].width <= DEFAULT_WIDTH),
        key=lambda pair: pair[1].width,
        default=pairs[0],
    )[1]
    return Picture(
        webp_srcset=", ".join(f"{webp.url} {webp.width}w" for webp, _ in pairs),
        fallback_srcset=", ".join(f"{fallback.url} {fallback.width}w" for _, fallback in pairs),
        fallback_type=pairs[0][1].mime_type,
        src=default.url,
        width=default.width,
        height=default.height,
    )


def _focal(article):
    return (article.lead_image_focal_x, article.lead_image_focal_y)


@register.simple_tag
def lead_picture(article):
    """The lead photo's whole-picture renditions, or None (no photo, or an unsized legacy one)."""
    if not article.lead_image:
        return None
    return _picture(renditions.responsive(article.lead_image.name))


@register.simple_tag
def card_picture(article):
    """The 16:9 crops around the focal point for list cards, or None."""
    if not article.lead_image:
        return None
    return _picture(renditions.cards(article.lead_image.name, _focal(article)))


@register.simple_tag(takes_context=True)
def share_image(context, article):
    """The sharing image (~1200x630 JPEG around the focal point) for og:image:* and JSON-LD;
    a tag, so that the article page of ``articles`` shows it without importing photos."""
    return sharing_image(article, context.get("request"))

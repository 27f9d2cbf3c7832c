"""The image other sites show when an article is shared (Open Graph, Twitter, JSON-LD)."""

from dataclasses import dataclass

from . import renditions


@dataclass(frozen=True)
class ShareImage:
    url: str  # absolute when a request was given
    width: int | None
    height: int | None
    mime_type: str


def sharing_image(article, request=None):
    """The ~1200x630 JPEG crop around the focal point, or None without a lead photo.

    An unsized legacy photo (stored before renditions existed) is given as it is, with no size.
    """
    if not article.lead_image:
        return None
    focal = (article.lead_image_focal_x, article.lead_image_focal_y)
    rendition = renditions.share(article.lead_image.name, focal)
    url = rendition.url if rendition else article.lead_image.url
    url = request.build_absolute_uri(url) if request else url
    if rendition:
        return ShareImage(url, rendition.width, rendition.height, rendition.mime_type)
    return ShareImage(url, None, None, "")

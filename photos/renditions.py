"""Renditions of lead photos: fixed widths, WebP plus JPEG/PNG, focal-point crops.

Why plain Pillow rather than a thumbnail library: sorl-thumbnail (12.x), easy-thumbnails
(2.10) and django-imagekit (5.x) are all maintained, but all three make a thumbnail on first
use inside the reader's request and then look it up on every render: easy-thumbnails keeps a
database row per source and thumbnail (extra queries on every list page, whose counts are
fixed by tests), sorl-thumbnail a key-value store entry, imagekit a storage existence check
(an S3 request) unless its cache answers. None of them checks uploads for us. What we need
beyond that is a resize and a crop box, a few dozen lines of Pillow.

So renditions are made once, after the article's transaction commits (photos.signals), and
their names are derived from the original's name alone: the original is stored as
``<random>_<width>x<height>.<ext>`` by photos.images, so a template knows every rendition's
URL, width and height without touching the database or the storage. Focal-point crops carry
the focal point in their names; moving the point makes new crops and removes the old ones.
``manage.py rebuild_renditions`` makes any that are missing (or all, with ``--force``).
"""

import posixpath
import re
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

WIDTHS = (320, 640, 960, 1280, 1920)
CARD_RATIO = (16, 9)
CARD_WIDTHS = (320, 640, 960)
SHARE_SIZE = (1200, 630)  # what Facebook, X and WhatsApp show (1.91:1)
WEBP_QUALITY = 80
JPEG_QUALITY = 82
ROOT = "renditions"

_SIZED_NAME = re.compile(r"_(\d{1,5})x(\d{1,5})\.(jpg|png)$")


@dataclass(frozen=True)
class Rendition:
    name: str  # storage name
    format: str  # Pillow format: WEBP, JPEG or PNG
    width: int
    height: int
    box: tuple | None = None  # crop box in the original, None for the whole picture

    @property
    def url(self):
        return default_storage.url(self.name)

    @property
    def mime_type(self):
        return f"image/{self.format.lower()}"


def source_size(name):
    """The pixel size written into an original's name by photos.images, or None."""
    match = _SIZED_NAME.search(name or "")
    return (int(match[1]), int(match[2])) if match else None


def folder(name):
    """The storage folder holding every rendition of the original ``name``."""
    return f"{ROOT}/{posixpath.splitext(name)[0]}"


def _fallback(name):
    return ("PNG", "png") if name.endswith(".png") else ("JPEG", "jpg")


def _focal_tag(focal):
    x, y = _focal(focal)
    return f"f{round(x * 100)}-{round(y * 100)}"


def _focal(focal):
    x, y = focal if focal else (None, None)
    return (0.5 if x is None else x, 0.5 if y is None else y)


def responsive(name):
    """The whole picture at each width up to its own (never upscaled): (webp, fallback) pairs."""
    size = source_size(name)
    if not size:
        return []
    width, height = size
    widths = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        widths.append(width)
    else:
        widths.append(WIDTHS[-1])
    fallback_format, fallback_ext = _fallback(name)
    base = folder(name)
    pairs = []
    for w in sorted(set(widths)):
        h = max(1, round(height * w / width))
        pairs.append(
            (
                Rendition(f"{base}/w{w}.webp", "WEBP", w, h),
                Rendition(f"{base}/w{w}.{fallback_ext}", fallback_format, w, h),
            )
        )
    return pairs


def crop_box(size, ratio, focal):
    """The largest box of ``ratio`` inside ``size``, centred on ``focal`` as far as it fits."""
    width, height = size
    rw, rh = ratio
    box_w = min(width, height * rw // rh)
    box_h = min(height, round(box_w * rh / rw))
    fx, fy = _focal(focal)
    left = min(max(round(fx * width - box_w / 2), 0), width - box_w)
    top = min(max(round(fy * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def cards(name, focal=None):
    """16:9 crops around the focal point for list cards: (webp, fallback) pairs."""
    size = source_size(name)
    if not size:
        return []
    box = crop_box(size, CARD_RATIO, focal)
    box_w = box[2] - box[0]
    widths = [w for w in CARD_WIDTHS if w <= box_w] or [box_w]
    fallback_format, fallback_ext = _fallback(name)
    stem = f"{folder(name)}/card-{_focal_tag(focal)}"
    pairs = []
    for w in widths:
        h = max(1, round(w * CARD_RATIO[1] / CARD_RATIO[0]))
        pairs.append(
            (
                Rendition(f"{stem}-w{w}.webp", "WEBP", w, h, box),
                Rendition(f"{stem}-w{w}.{fallback_ext}", fallback_format, w, h, box),
            )
        )
    return pairs


def share(name, focal=None):
    """A JPEG about 1200x630 around the focal point, for Open Graph and JSON-LD."""
    size = source_size(name)
    if not size:
        return None
    box = crop_box(size, SHARE_SIZE, focal)
    w = min(SHARE_SIZE[0], box[2] - box[0])
    h = max(1, round(w * SHARE_SIZE[1] / SHARE_SIZE[0]))
    return Rendition(f"{folder(name)}/share-{_focal_tag(focal)}-w{w}.jpg", "JPEG", w, h, box)


def planned(name, focal=None):
    """Every rendition the original ``name`` should have with this focal point."""
    result = [r for pair in responsive(name) + cards(name, focal) for r in pair]
    share_rendition = share(name, focal)
    return result + [share_rendition] if share_rendition else result


def existing(name, storage=None):
    storage = storage or default_storage
    try:
        _, files = storage.listdir(folder(name))
    except (FileNotFoundError, NotADirectoryError):
        return set()
    return {f"{folder(name)}/{file}" for file in files}


def sync(name, focal=None, *, force=False, storage=None):
    """Make the missing renditions of ``name`` and delete stale ones; return (made, deleted)."""
    storage = storage or default_storage
    wanted = planned(name, focal)
    present = existing(name, storage)
    deleted = 0
    for stale in sorted(present - {r.name for r in wanted}):
        storage.delete(stale)
        deleted += 1
    todo = [r for r in wanted if force or r.name not in present]
    if todo:
        with storage.open(name, "rb") as original, Image.open(original) as image:
            image.load()
            for rendition in todo:
                if rendition.name in present:
                    storage.delete(rendition.name)
                storage.save(rendition.name, ContentFile(render(image, rendition)))
    return len(todo), deleted


def render(image, rendition):
    """Encode ``rendition`` of the decoded original ``image``; return its bytes."""
    picture = image.crop(rendition.box) if rendition.box else image
    picture = picture.resize(
        (rendition.width, rendition.height), Image.Resampling.LANCZOS, reducing_gap=3.0
    )
    icc = image.info.get("icc_profile")
    extra = {"icc_profile": icc} if icc else {}
    buffer = BytesIO()
    if rendition.format == "WEBP":
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4, **extra)
    elif rendition.format == "PNG":
        picture.save(buffer, "PNG", optimize=True, **extra)
    else:
        picture.convert("RGB").save(
            buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra
        )
    return buffer.getvalue()


def delete_all(name, storage=None):
    """Delete the original ``name`` and every rendition of it; return how many files went."""
    storage = storage or default_storage
    files = existing(name, storage)
    for file in files:
        storage.delete(file)
    if storage.exists(name):
        storage.delete(name)
        return len(files) + 1
    return len(files)

"""Checking and re-encoding every uploaded photo before anything is stored.

An upload is only bytes chosen by a browser: its name, extension and content type mean nothing.
Each one is decoded in full by Pillow from a short list of raster formats, then encoded afresh
from its pixels, so what reaches storage is an image we wrote ourselves: no EXIF (GPS, camera
serial numbers), no XMP or comments, no bytes appended after the picture, orientation applied to
the pixels. Its stored name is random and carries the pixel size, which lets templates build
``srcset`` without opening the file or querying the database (see photos.renditions).
"""

import logging
import re
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

# What a newsroom receives from cameras, phones and agencies (Pillow's JPEG opener also reads
# the multi-picture "MPO" JPEGs many cameras write). SVG, HEIC, TIFF, BMP... are refused.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")

# Markup inside an image file means a polyglot: a valid picture that a browser sniffing the
# bytes, or a careless server, could also run as HTML or script. It is refused rather than
# cleaned. Each pattern is long enough (tag name plus a following space, "/" or ">") that
# compressed pixel data spells one out by chance about once in a terabyte of photos; a short
# one such as "<svg" would turn up in a few percent of large photos. SVG itself never opens in
# Pillow, so it is refused as "not an image" anyway.
_MARKUP = re.compile(
    rb"<(?:script|html|body|iframe|object|embed|meta)[\s>/]|<!doctype\s+html|<\?php\s"
    rb"|javascript:",
    re.IGNORECASE,
)

logger = logging.getLogger(__name__)

ORIGINAL_JPEG_QUALITY = 90

MESSAGES = {
    "empty": "الملف فارغ، لم يصل منه شيء. اختر الصورة من جديد.",
    "too_large": "حجم الملف {size} أكبر من المسموح به ({limit}). صغّر الصورة ثم أعد رفعها.",
    "not_image": (
        "هذا الملف ليس صورة يقبلها الموقع. الصيغ المقبولة: JPEG وPNG وWebP وGIF "
        "(ملفات SVG وHTML وغيرها مرفوضة)."
    ),
    "damaged": "الصورة تالفة أو ناقصة ولا يمكن فتحها. أعد تصديرها من جهازك ثم ارفعها.",
    "too_many_pixels": (
        "أبعاد الصورة كبيرة جدًا: الحد الأقصى {limit} مليون بكسل. صغّرها ثم أعد رفعها."
    ),
}


def refuse(code, **params):
    return ValidationError(MESSAGES[code].format(**params), code=code)


@dataclass(frozen=True)
class CleanImage:
    """A photo re-encoded from its pixels, ready to store under ``filename()``."""

    content: bytes
    extension: str  # "jpg", or "png" for pictures with transparency
    width: int
    height: int

    @property
    def content_type(self):
        return "image/png" if self.extension == "png" else "image/jpeg"

    def filename(self):
        # Random, never the client's name: nothing a browser sends reaches a storage path.
        return f"{secrets.token_hex(10)}_{self.width}x{self.height}.{self.extension}"


def read_upload(uploaded_file):
    """Return the bytes of ``uploaded_file``, refusing empty and oversized files."""
    limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise refuse("too_large", size=filesizeformat(size), limit=filesizeformat(limit))
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if not data:
        raise refuse("empty")
    if len(data) > limit:
        raise refuse("too_large", size=filesizeformat(len(data)), limit=filesizeformat(limit))
    return data


def clean_image(data, *, max_width=None):
    """Check ``data`` is one whole photo and return it re-encoded, without metadata.

    Raises ``ValidationError`` with an Arabic message for anything else. ``max_width`` scales
    wider photos down (inline photos in article bodies are served as they are stored).
    """
    if not data:
        raise refuse("empty")
    if _MARKUP.search(data):
        raise refuse("not_image")
    image = _decode(data)
    try:
        return _encode(image, max_width)
    except (OSError, ValueError):
        # A picture Pillow decoded but cannot convert (an exotic mode, a broken colour profile).
        logger.info("Refused an image Pillow could not re-encode", exc_info=True)
        raise refuse("damaged") from None


def _encode(image, max_width):
    # A colour profile describes RGB pixels only; grey or CMYK ones would not match it after
    # conversion (which is then a plain one).
    icc_profile = image.info.get("icc_profile") if image.mode in {"RGB", "RGBA"} else None
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    if has_alpha and image.getchannel("A").getextrema() == (255, 255):
        # Opaque after all (a photo exported with an alpha channel): a JPEG is far smaller.
        image, has_alpha = image.convert("RGB"), False
    # Nothing of the source's metadata travels further than this line.
    image.info = {}
    if max_width and image.width > max_width:
        image = image.resize(
            (max_width, max(1, round(image.height * max_width / image.width))),
            Image.Resampling.LANCZOS,
        )
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    buffer = BytesIO()
    if has_alpha:
        image.save(buffer, "PNG", optimize=True, **extra)
        extension = "png"
    else:
        image.save(buffer, "JPEG", quality=ORIGINAL_JPEG_QUALITY, optimize=True, **extra)
        extension = "jpg"
    return CleanImage(buffer.getvalue(), extension, image.width, image.height)


def clean_upload(uploaded_file, *, max_width=None):
    return clean_image(read_upload(uploaded_file), max_width=max_width)


def _decode(data):
    limit = settings.NEWSROOM_MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; here it is a refusal too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data), formats=ALLOWED_FORMATS) as probe:
                width, height = probe.size
                if width * height > limit:
                    raise refuse("too_many_pixels", limit=f"{limit / 1_000_000:g}")
                probe.verify()
            image = Image.open(BytesIO(data), formats=ALLOWED_FORMATS)
            image.load()  # decodes every pixel: a truncated file fails here
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise refuse("too_many_pixels", limit=f"{limit / 1_000_000:g}") from None
        except Image.UnidentifiedImageError:
            raise refuse("not_image") from None
        except Exception:
            # Damaged files make Pillow's decoders raise OSError, SyntaxError, ValueError,
            # struct.error, EOFError... all of them mean the same thing to the person uploading.
            logger.info("Refused an image Pillow could not decode", exc_info=True)
            raise refuse("damaged") from None
    return image

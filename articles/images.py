"""Article pictures: renditions at a few widths, in WebP and JPEG, made once per upload."""

import io
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from painrelief.images import open_uploaded_image

FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 4}), "jpeg": ("JPEG", {"quality": 82})}


def make_renditions(upload) -> dict:
    """Store renditions of an uploaded picture and describe them for `srcset` and `width`/`height`.

    The description is kept on the article: {"width", "height", "webp": {w: name}, "jpeg": {...}}.
    """
    image = open_uploaded_image(
        upload,
        max_bytes=settings.ARTICLE_IMAGE_MAX_UPLOAD_BYTES,
        max_pixels=settings.ARTICLE_IMAGE_MAX_PIXELS,
    )
    if image.mode == "RGBA":
        flattened = Image.new("RGB", image.size, "white")
        flattened.paste(image, mask=image.getchannel("A"))
        image = flattened
    widths = [w for w in settings.ARTICLE_IMAGE_WIDTHS if w <= image.width] or [image.width]
    if image.width < settings.ARTICLE_IMAGE_WIDTHS[-1] and image.width not in widths:
        widths.append(image.width)
    folder = f"articles/{secrets.token_hex(8)}"
    described = {"folder": folder, "width": widths[-1], "height": _scaled_height(image, widths[-1])}
    for key, (pil_format, options) in FORMATS.items():
        described[key] = {}
        for width in widths:
            resized = image.resize(
                (width, _scaled_height(image, width)), Image.Resampling.LANCZOS, reducing_gap=3.0
            )
            out = io.BytesIO()
            # A fresh encode writes pixels only: no EXIF or GPS data reaches readers.
            resized.save(out, format=pil_format, **options)
            name = default_storage.save(f"{folder}/{width}.{key}", ContentFile(out.getvalue()))
            described[key][str(width)] = name
    return described


def rendition_names(described: dict) -> list[str]:
    return [name for key in FORMATS for name in described.get(key, {}).values()]


def delete_renditions(described: dict) -> None:
    for name in rendition_names(described):
        default_storage.delete(name)


def _scaled_height(image: Image.Image, width: int) -> int:
    return max(1, round(image.height * width / image.width))

"""Avatar images: validated, re-encoded at fixed sizes, stripped of all metadata."""

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps

from painrelief.images import open_uploaded_image


@dataclass(frozen=True)
class ProcessedAvatar:
    large: bytes
    small: bytes
    large_size: int
    small_size: int
    token: str


def process_avatar(upload) -> ProcessedAvatar:
    """Check an uploaded file and return square WebP renditions with no EXIF, GPS or ICC data.

    Raises ValidationError with a message meant for the person who uploaded it.
    """
    image = open_uploaded_image(
        upload, max_bytes=settings.AVATAR_MAX_UPLOAD_BYTES, max_pixels=settings.AVATAR_MAX_PIXELS
    )
    sizes = settings.AVATAR_SIZES
    return ProcessedAvatar(
        large=_square_webp(image, sizes["large"]),
        small=_square_webp(image, sizes["small"]),
        large_size=sizes["large"],
        small_size=sizes["small"],
        token=secrets.token_hex(8),
    )


def _square_webp(image: Image.Image, size: int) -> bytes:
    square = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh encode writes pixels only: no EXIF, GPS, XMP or ICC profile is carried over.
    square.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()

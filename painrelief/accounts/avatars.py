"""Avatar images: validated, re-encoded at fixed sizes, stripped of all metadata."""

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


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
    if upload.size > settings.AVATAR_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is %(size)s; an avatar may be at most %(limit)s."),
            code="file_too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.AVATAR_MAX_UPLOAD_BYTES),
            },
        )
    not_an_image = ValidationError(
        _(
            "This file is not an image we can read (or it is damaged). "
            "Please upload a JPEG, PNG, GIF or WebP picture."
        ),
        code="invalid_image",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            width, height = probe.size
            if width * height > settings.AVATAR_MAX_PIXELS:
                raise ValidationError(
                    _("This picture is %(width)s by %(height)s pixels; please send a smaller one."),
                    code="too_many_pixels",
                    params={"width": width, "height": height},
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            image = image.convert("RGBA" if has_alpha else "RGB")
            sizes = settings.AVATAR_SIZES
            return ProcessedAvatar(
                large=_square_webp(image, sizes["large"]),
                small=_square_webp(image, sizes["small"]),
                large_size=sizes["large"],
                small_size=sizes["small"],
                token=secrets.token_hex(8),
            )
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None


def _square_webp(image: Image.Image, size: int) -> bytes:
    square = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh encode writes pixels only: no EXIF, GPS, XMP or ICC profile is carried over.
    square.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()

"""Checks for uploaded pictures, shared by avatars and article images."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}

NOT_AN_IMAGE = _(
    "This file is not an image we can read (or it is damaged). "
    "Please upload a JPEG, PNG, GIF or WebP picture."
)


def open_uploaded_image(upload, *, max_bytes: int, max_pixels: int) -> Image.Image:
    """Check an uploaded file and return it decoded, turned upright and in RGB or RGBA.

    Raises ValidationError with a message meant for the person who uploaded it.
    """
    if upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; a picture may be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    not_an_image = ValidationError(NOT_AN_IMAGE, code="invalid_image")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            width, height = probe.size
            if width * height > max_pixels:
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
            return image.convert("RGBA" if has_alpha else "RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    finally:
        upload.seek(0)

"""Uploaded pictures, shared by avatars and article images: checks, and the <picture> markup."""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
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


def picture_html(renditions: dict, *, alt: str, sizes: str, css_class="", eager=False) -> str:
    """A <picture>: WebP and JPEG renditions with srcset and sizes, width and height set."""
    largest = renditions["jpeg"][str(max(map(int, renditions["jpeg"])))]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} '
        'loading="{}" decoding="async"></picture>',
        _srcset(renditions["webp"]),
        sizes,
        default_storage.url(largest),
        _srcset(renditions["jpeg"]),
        sizes,
        renditions["width"],
        renditions["height"],
        alt,
        format_html(' class="{}"', css_class) if css_class else "",
        "eager" if eager else "lazy",
    )


def _srcset(names_by_width: dict) -> str:
    return ", ".join(
        f"{default_storage.url(name)} {width}w"
        for width, name in sorted(names_by_width.items(), key=lambda item: int(item[0]))
    )

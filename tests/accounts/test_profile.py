import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from painrelief import privacy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def photo_with_gps(size=(800, 600), fmt="JPEG") -> bytes:
    """A camera-like photo: EXIF with a camera model, GPS position and a rotation flag."""
    image = Image.new("RGB", size, (200, 120, 90))
    exif = Image.Exif()
    exif[0x0110] = "KnotCam 3000"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def upload(content: bytes, name="me.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_profile(client, **data):
    return client.post(reverse("accounts:profile"), {"display_name": "Ruth L."} | data)


@pytest.fixture
def reader(client):
    user = UserFactory(display_name="Ruth")
    client.force_login(user)
    return user


def test_profile_needs_a_login(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_reader_changes_display_name(client, reader):
    response = post_profile(client, display_name="Ruth Lindqvist")

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.display_name == "Ruth Lindqvist"
    assert "Your profile has been saved." in client.get(response.url).text


def test_a_new_display_name_is_cleaned_as_a_guest_name_is_cleaned(client, reader):
    post_profile(client, display_name="Ruth\u200b \u202eL.\u202c\ufeff")

    reader.refresh_from_db()
    assert reader.display_name == "Ruth L."


def test_a_display_name_of_invisible_characters_only_is_refused(client, reader):
    response = post_profile(client, display_name="\u200b\u202e")

    assert "Please tell us the name to show with your comments." in response.text
    reader.refresh_from_db()
    assert reader.display_name == "Ruth"


def test_avatar_is_resized_to_fixed_squares_and_stripped_of_metadata(client, reader):
    post_profile(client, avatar_upload=upload(photo_with_gps()))

    reader.refresh_from_db()
    with Image.open(reader.avatar.path) as large, Image.open(reader.avatar_small.path) as small:
        assert (large.format, large.size) == ("WEBP", (256, 256))
        assert small.size == (64, 64)
        assert not large.getexif()
        assert "exif" not in large.info and "icc_profile" not in large.info
    assert "me" not in reader.avatar.name  # the uploaded file name is not kept


def test_avatar_keeps_transparency_of_a_png(client, reader):
    image = Image.new("RGBA", (100, 300), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")

    post_profile(client, avatar_upload=upload(out.getvalue(), "me.png", "image/png"))

    reader.refresh_from_db()
    with Image.open(reader.avatar.path) as large:
        assert large.mode == "RGBA"
        assert large.size == (256, 256)


def test_replacing_or_removing_the_avatar_deletes_the_old_files(
    client, reader, django_capture_on_commit_callbacks
):
    post_profile(client, avatar_upload=upload(photo_with_gps()))
    reader.refresh_from_db()
    first = Path(reader.avatar.path)

    with django_capture_on_commit_callbacks(execute=True):
        post_profile(client, avatar_upload=upload(photo_with_gps((300, 300))))
    reader.refresh_from_db()
    second = Path(reader.avatar.path)
    assert second != first and second.exists()
    assert not first.exists()

    with django_capture_on_commit_callbacks(execute=True):
        post_profile(client, remove_avatar="on")
    reader.refresh_from_db()
    assert not reader.avatar and not reader.avatar_small
    assert not second.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not a picture at all", "report.pdf", "is not an image we can read"),
        (photo_with_gps()[:400], "broken.jpg", "is not an image we can read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "corrupt.png", "is not an image we can read"),
    ],
    ids=["not-an-image", "truncated-jpeg", "corrupt-png"],
)
def test_bad_avatar_files_get_a_clear_error_and_keep_the_other_fields(
    client, reader, content, name, message
):
    response = post_profile(client, display_name="Typed name", avatar_upload=upload(content, name))

    assert response.status_code == 200
    assert message in response.text
    assert 'value="Typed name"' in response.text
    reader.refresh_from_db()
    assert reader.display_name == "Ruth"
    assert not reader.avatar
    assert response.context["user"].display_name == "Ruth"  # the header shows the saved name


def test_an_avatar_over_the_size_limit_is_refused_before_decoding(client, reader, settings):
    settings.AVATAR_MAX_UPLOAD_BYTES = 10_000

    response = post_profile(client, avatar_upload=upload(b"\xff\xd8" + b"\x00" * 20_000))

    assert response.status_code == 200
    assert "a picture may be at most 9.8" in response.text


def test_an_image_with_too_many_pixels_is_refused(client, reader, settings):
    settings.AVATAR_MAX_PIXELS = 1_000_000
    out = io.BytesIO()
    Image.new("L", (2000, 1000)).save(out, format="PNG")

    response = post_profile(client, avatar_upload=upload(out.getvalue(), "big.png", "image/png"))

    assert response.status_code == 200
    assert "This picture is 2000 by 1000 pixels" in response.text


def test_the_email_address_is_shown_only_to_its_owner(client, reader):
    page = client.get(reverse("accounts:profile"))

    assert reader.email in page.text
    assert reader.email not in client.get(reverse("home")).text


def test_erasing_an_account_deletes_its_avatar_files(
    client, reader, django_capture_on_commit_callbacks
):
    """Avatars are served at public addresses: an erased person's must be gone, not orphaned."""
    post_profile(client, avatar_upload=upload(photo_with_gps()))
    reader.refresh_from_db()
    files = [Path(reader.avatar.path), Path(reader.avatar_small.path)]
    assert all(path.exists() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_person(reader.email)

    assert not any(path.exists() for path in files)

"""S3_BUCKET: media on S3-compatible storage at public addresses, reports in a private location
that only the site reads (moto's server, started by scripts/run-tests)."""

import copy
import io
import urllib.error
import urllib.request
from types import SimpleNamespace

import boto3
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from storages.backends.s3 import S3Storage

from articles.images import make_renditions, rendition_names
from painrelief import privacy
from painrelief.downloads.models import Resource
from painrelief.images import picture_html
from painrelief.s3 import PublicS3Storage
from tests.accounts.test_profile import photo_with_gps, post_profile, upload
from tests.downloads.conftest import PDF, make_resource
from tests.factories import UserFactory
from tests.test_settings import PRODUCTION, run

from .servers import configured, fresh_environment, server_url, unique

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3():
    """The S3 server, and the storage settings and Content-Security-Policy that the settings
    module makes of the S3_ variables (for buckets named "media" and "reports")."""
    endpoint = server_url("TEST_S3_ENDPOINT_URL")
    credentials = {"S3_ACCESS_KEY_ID": "site-key", "S3_SECRET_ACCESS_KEY": "site-secret"}
    env = credentials | {
        "S3_BUCKET": "media",
        "S3_PRIVATE_BUCKET": "reports",
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
    }
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=credentials["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=credentials["S3_SECRET_ACCESS_KEY"],
    )
    return SimpleNamespace(
        client=client, endpoint=endpoint, settings=configured(["STORAGES", "SECURE_CSP"], **env)
    )


@pytest.fixture
def on_s3(settings, s3):
    """The site on S3 as configured, with two new buckets of its own for each test."""
    storages = copy.deepcopy(s3.settings["STORAGES"])
    media, reports = unique("media"), unique("reports")
    for alias, bucket in (("default", media), ("private", reports)):
        s3.client.create_bucket(Bucket=bucket)
        storages[alias]["OPTIONS"]["bucket_name"] = bucket
    settings.STORAGES = storages
    settings.SECURE_CSP = s3.settings["SECURE_CSP"]
    return SimpleNamespace(client=s3.client, endpoint=s3.endpoint, media=media, reports=reports)


DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, no proxy


def anonymous_get(url: str) -> tuple[int, bytes]:
    """A plain GET with no signature, as a reader's browser (or a stranger) sends it."""
    try:
        with DIRECT.open(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def keys_in(s3, bucket: str) -> set[str]:
    return {item["Key"] for item in s3.client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def test_without_s3_bucket_uploads_stay_on_disk():
    embedded = configured(["STORAGES"])["STORAGES"]

    assert embedded["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert embedded["private"]["BACKEND"] == "painrelief.downloads.storage.PrivateFileStorage"


def test_s3_bucket_without_an_endpoint_refuses_to_start():
    result = run(["manage.py", "check"], **fresh_environment(S3_BUCKET="media"))

    assert result.returncode != 0
    assert "Set S3_ENDPOINT_URL with S3_BUCKET" in result.stderr


def test_production_on_redis_and_s3_passes_the_deployment_checks():
    env = PRODUCTION | {
        "REDIS_URL": "redis://10.0.0.5:6379/0",
        "S3_BUCKET": "media",
        "S3_ENDPOINT_URL": "https://s3.example.org",
    }

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "options", [{}, {"location": "media"}, {"custom_domain": "media.painrelief.example"}]
)
def test_media_addresses_are_the_ones_boto3_builds(options):
    """Built from one address that boto3 gives, without asking it again for each name."""
    storage = PublicS3Storage(
        bucket_name="media",
        endpoint_url="http://127.0.0.1:9000",
        region_name="us-east-1",
        access_key="site-key",
        secret_key="site-secret",
        **options,
    )

    for name in ("avatars/0f3a9c-64.webp", "articles/0123abcd/800.jpeg", "an odd name é+&.png"):
        assert storage.url(name) == S3Storage.url(storage, name)


def test_an_avatar_lands_in_the_media_bucket_at_a_public_address(client, on_s3):
    reader = UserFactory()
    client.force_login(reader)

    post_profile(client, avatar_upload=upload(photo_with_gps()))

    reader.refresh_from_db()
    assert {reader.avatar.name, reader.avatar_small.name} <= keys_in(on_s3, on_s3.media)
    address = f"{on_s3.endpoint}/{on_s3.media}/{reader.avatar.name}"
    page = client.get(reverse("accounts:profile"))
    assert f'src="{address}"' in page.text
    assert on_s3.endpoint in page["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    status, content = anonymous_get(address)
    assert status == 200
    with Image.open(io.BytesIO(content)) as avatar:
        assert (avatar.format, avatar.size) == ("WEBP", (256, 256))


def test_article_pictures_land_in_the_media_bucket_with_their_renditions(on_s3):
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (90, 140, 200)).save(out, format="JPEG")

    renditions = make_renditions(ContentFile(out.getvalue(), name="shoulder.jpg"))

    assert set(rendition_names(renditions)) <= keys_in(on_s3, on_s3.media)
    largest = f"{on_s3.endpoint}/{on_s3.media}/{renditions['jpeg']['900']}"
    assert f'src="{largest}"' in picture_html(renditions, alt="", sizes="100vw")
    assert anonymous_get(largest)[0] == 200


def test_erasing_a_person_deletes_their_avatar_from_the_bucket(
    client, on_s3, django_capture_on_commit_callbacks
):
    reader = UserFactory(email="ruth@example.org")
    client.force_login(reader)
    post_profile(client, avatar_upload=upload(photo_with_gps()))
    reader.refresh_from_db()
    names = {reader.avatar.name, reader.avatar_small.name}
    assert names <= keys_in(on_s3, on_s3.media)

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_person("ruth@example.org")

    assert not names & keys_in(on_s3, on_s3.media)
    assert anonymous_get(f"{on_s3.endpoint}/{on_s3.media}/{reader.avatar.name}")[0] != 200


def test_a_report_is_private_in_its_bucket_and_only_the_site_sends_it(client, on_s3):
    resource = make_resource(Resource.Access.FREE)
    key = f"private/{resource.file.name}"

    assert keys_in(on_s3, on_s3.reports) == {key}
    grants = on_s3.client.get_object_acl(Bucket=on_s3.reports, Key=key)["Grants"]
    assert [grant["Grantee"]["Type"] for grant in grants] == ["CanonicalUser"]  # the owner only
    assert resource.file.name not in keys_in(on_s3, on_s3.media)
    assert anonymous_get(f"{on_s3.endpoint}/{on_s3.reports}/{key}") == (403, b"")
    with pytest.raises(ValueError, match="no public address"):
        resource.file.url  # noqa: B018
    download = client.get(resource.get_absolute_url())
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="knot-routine.pdf"'


def test_two_reports_of_the_same_name_are_both_kept(on_s3):
    first, second = make_resource(), make_resource()

    assert first.file.name != second.file.name
    assert len(keys_in(on_s3, on_s3.reports)) == 2


def test_a_report_missing_from_the_bucket_is_a_404(client, on_s3):
    resource = make_resource(Resource.Access.FREE)
    on_s3.client.delete_object(Bucket=on_s3.reports, Key=f"private/{resource.file.name}")

    assert client.get(resource.get_absolute_url()).status_code == 404

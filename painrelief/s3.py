"""Public media (avatars, article pictures) on S3-compatible storage: STORAGES["default"] when
S3_BUCKET is set."""

from functools import cached_property

from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class PublicS3Storage(S3Storage):
    """Objects at public, unsigned addresses. boto3 takes about a millisecond to build one,
    and a page of comments links dozens of avatars: it is asked once, for the address's
    start, and every name follows it (as fast as for files on disk)."""

    querystring_auth = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        if parameters or http_method:
            return super().url(name, parameters, expire, http_method)
        return self._address_start + filepath_to_uri(self._normalize_name(clean_name(name)))

    @cached_property
    def _address_start(self) -> str:
        probe = self._normalize_name("probe")
        return super().url("probe")[: -len(probe)]

"""Where report files live: STORAGES["private"], never at a public address; our views send them.

On disk outside MEDIA_ROOT by default (PrivateFileStorage), or in a private S3 location
(painrelief/downloads/s3.py). The field's storage is looked up when used, so that a test may
change STORAGES.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

PRIVATE_STORAGE_ALIAS = "private"


class NoPublicAddress:
    """An email-gated report must not be reachable at a guessable (or any) URL."""

    def url(self, name, *args, **kwargs):
        raise ValueError("Private files have no public address; serve them through a view.")


@deconstructible
class PrivateFileStorage(NoPublicAddress, FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read when used), sent only by views: no public address."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


class PrivateStorage(LazyObject):
    """STORAGES["private"], as Django's default_storage is STORAGES["default"]."""

    def _setup(self):
        self._wrapped = storages[PRIVATE_STORAGE_ALIAS]


_private_storage = PrivateStorage()


def private_storage():
    """The storage of report files (a callable: migrations record it, not the backend)."""
    return _private_storage


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":  # Django resets default_storage the same way
        _private_storage._wrapped = empty

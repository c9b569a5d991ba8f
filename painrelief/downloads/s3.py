"""Reports on S3-compatible storage: private objects, read with the site's keys only."""

from storages.backends.s3 import S3Storage

from .storage import NoPublicAddress


class PrivateS3Storage(NoPublicAddress, S3Storage):
    """Objects sent with no ACL (so private to the bucket's owner, and accepted by buckets with
    ACLs disabled), never given a URL, not even a presigned one: the site streams them through
    its own view, which checks the emailed link and confirms the address."""

    default_acl = None

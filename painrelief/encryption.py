"""Encryption at rest of private text: model fields whose column holds only ciphertext.

Each value is sealed with AES-256-GCM (authenticated: a changed byte is an error, never
garbage) under the first key of FIELD_ENCRYPTION_KEYS, and bound to its column (the field's
label is the associated data, so a value copied into another column does not decrypt). It is
stored as "<key id>$<base64 of nonce, ciphertext and tag>": the key id tells which of the keys
opens it, so old keys stay readable until `manage.py encryption rotate` has re-encrypted
everything with the current one. Empty strings and NULL are stored as they are.

The database cannot compare ciphertext: lookups other than `isnull` raise. Equality lookups
by email go through a keyed hash column (`EmailDigestField`).
"""

import base64
import binascii
import hashlib
import hmac
import os
from collections import Counter
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError
from django.db import connection, models, transaction
from django.db.models.lookups import Exact

# Public, so that development and tests need no set-up; `check --deploy` refuses it.
DEVELOPMENT_KEY = base64.urlsafe_b64encode(b"painrelief-development-key-only!").decode()
NONCE_BYTES = 12
SEPARATOR = "$"


class DecryptionError(ValueError):
    """A stored value that no configured key opens: tampered, truncated, or an unknown key."""


class EncryptedLookupError(FieldError):
    """A database lookup on an encrypted column, which could only ever compare ciphertext."""


def generate_key() -> str:
    """A new random key, in the form FIELD_ENCRYPTION_KEYS takes (URL-safe base64, 32 bytes)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def key_id(key: bytes) -> str:
    """A short name for a key, stored with each value: it reveals nothing of the key."""
    return hashlib.sha256(b"painrelief key id\x00" + key).hexdigest()[:8]


def decode_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ValueError("each key of FIELD_ENCRYPTION_KEYS is 32 bytes in URL-safe base64")
    return key


def configured_keys() -> list[str]:
    """FIELD_ENCRYPTION_KEYS, current first; the development key when none is set."""
    return list(settings.FIELD_ENCRYPTION_KEYS) or [DEVELOPMENT_KEY]


@lru_cache(maxsize=8)
def _keyring(keys: tuple[str, ...]) -> tuple[str, dict[str, AESGCM], list[bytes]]:
    raw = [decode_key(key) for key in keys]
    # A key of its own for hashing addresses, derived from each encryption key.
    digest_keys = [
        hmac.new(key, b"painrelief email digest", hashlib.sha256).digest() for key in raw
    ]
    return key_id(raw[0]), {key_id(key): AESGCM(key) for key in raw}, digest_keys


def keyring() -> tuple[str, dict[str, AESGCM], list[bytes]]:
    """(current key id, cipher of each key id, digest keys current first), from the settings."""
    return _keyring(tuple(configured_keys()))


def encrypt(plaintext: str, *, context: str) -> str:
    current, ciphers, _ = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ciphers[current].encrypt(nonce, plaintext.encode(), context.encode())
    return f"{current}{SEPARATOR}{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(stored: str, *, context: str) -> str:
    _, ciphers, _ = keyring()
    kid, separator, body = stored.partition(SEPARATOR)
    if not separator:
        raise DecryptionError(f"{context}: the stored value is not ciphertext")
    if kid not in ciphers:
        raise DecryptionError(f"{context}: encrypted with key {kid}, not in FIELD_ENCRYPTION_KEYS")
    try:
        sealed = base64.urlsafe_b64decode(body.encode())
        plain = ciphers[kid].decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context.encode())
    except (InvalidTag, binascii.Error, ValueError) as error:
        raise DecryptionError(f"{context}: the ciphertext was altered or damaged") from error
    return plain.decode()


def key_id_of(stored: str | None) -> str | None:
    """The id of the key a stored value was encrypted with (None for an empty value)."""
    return stored.partition(SEPARATOR)[0] if stored else None


def email_digests(email: str) -> list[str]:
    """The keyed hashes of an address under each configured key, the current one first."""
    address = email.strip().lower()
    if not address:
        return []
    return [_digest(key, address) for key in keyring()[2]]


def email_digest(email: str) -> str:
    """The keyed hash (HMAC-SHA256) of an address under the current key; "" for no address."""
    digests = email_digests(email)
    return digests[0] if digests else ""


def _digest(digest_key: bytes, address: str) -> str:
    return hmac.new(digest_key, address.encode(), hashlib.sha256).hexdigest()


# --- Fields -----------------------------------------------------------------------------


class EncryptedMixin:
    """Stores the field's value encrypted in a text column; Python sees the plain value.

    Validation, form fields and normalisation are the plain field's; only the column changes.
    """

    encrypted = True

    @property
    def encryption_context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def get_internal_type(self):
        return "TextField"

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), context=self.encryption_context)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value, context=self.encryption_context)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return ExactNoneOrEmpty
        raise EncryptedLookupError(self._no_lookup(lookup_name))

    def get_transform(self, lookup_name):
        raise EncryptedLookupError(self._no_lookup(lookup_name))

    def _no_lookup(self, lookup_name: str) -> str:
        return (
            f"{self.encryption_context} is encrypted: the database cannot compare it "
            f"(__{lookup_name}); only __isnull and ='' work. Look addresses up by their digest."
        )


class ExactNoneOrEmpty(Exact):
    """`field=None` (Django's spelling of isnull) and `field=""` (empty values are stored
    empty: the one comparison ciphertext allows, e.g. in a check constraint); any other raises."""

    def __init__(self, lhs, rhs):
        if rhs is not None and rhs != "":
            raise EncryptedLookupError(lhs.output_field._no_lookup(self.lookup_name))
        super().__init__(lhs, rhs)


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedCharField(EncryptedMixin, models.CharField):
    """max_length limits the plain text (its ciphertext is longer, in a text column)."""


class EncryptedEmailField(EncryptedMixin, models.EmailField):
    pass


class EncryptedGenericIPAddressField(EncryptedMixin, models.GenericIPAddressField):
    pass


class EmailDigestField(models.CharField):
    """The keyed hash of another field's address, filled on every save (bulk_create too),
    for equality lookups on an encrypted address (see `email_digests`)."""

    def __init__(self, *args, source: str = "email", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.source != "email":
            kwargs["source"] = self.source
        for option, default in (("max_length", 64), ("editable", False), ("blank", True)):
            if kwargs.get(option) == default:
                del kwargs[option]
        if kwargs.get("default") == "":
            del kwargs["default"]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = email_digest(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def encrypted_fields(model) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if getattr(field, "encrypted", False)]


def digest_fields(model) -> list[EmailDigestField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, EmailDigestField)]


# --- Rotation -------------------------------------------------------------------------


def models_with_encrypted_fields() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if encrypted_fields(model)]


def _stored(model, pks) -> dict:
    """The raw stored values of the encrypted and digest columns of these rows, by pk."""
    quote = connection.ops.quote_name
    columns = [field.column for field in encrypted_fields(model) + digest_fields(model)]
    pk = model._meta.pk.column
    placeholders = ", ".join(["%s"] * len(pks))
    sql = (
        f"SELECT {quote(pk)}, {', '.join(quote(c) for c in columns)} "  # noqa: S608 (our names)
        f"FROM {quote(model._meta.db_table)} WHERE {quote(pk)} IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(pks))
        return {row[0]: dict(zip(columns, row[1:], strict=True)) for row in cursor.fetchall()}


def _is_stale(model, row, stored: dict) -> bool:
    current = keyring()[0]
    return any(
        key_id_of(stored[field.column]) not in (None, current) for field in encrypted_fields(model)
    ) or any(
        stored[field.column] != email_digest(getattr(row, field.source) or "")
        for field in digest_fields(model)
    )


def rotate(model, *, dry_run: bool = False, batch_size: int = 200) -> int:
    """Re-encrypt with the current key every row of `model` that holds a value under an
    older key (and recompute its digests); the number of such rows. Each batch is locked
    while it is rewritten, so an edit made meanwhile is not overwritten."""
    fields = encrypted_fields(model)
    digests = digest_fields(model)
    loaded = {field.name for field in fields} | {field.source for field in digests}
    pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
    rewritten = 0
    for start in range(0, len(pks), batch_size):
        with transaction.atomic():
            rows = list(
                model._base_manager.select_for_update()
                .filter(pk__in=pks[start : start + batch_size])
                .only(*loaded)
            )
            stored = _stored(model, [row.pk for row in rows])
            stale = [row for row in rows if _is_stale(model, row, stored[row.pk])]
            rewritten += len(stale)
            if dry_run or not stale:
                continue
            for row in stale:
                for field in digests:
                    setattr(row, field.attname, email_digest(getattr(row, field.source) or ""))
            model._base_manager.bulk_update(stale, [f.name for f in fields + digests])
    return rewritten


def key_ids_in_use(model) -> Counter:
    """How many stored values of `model` each key id holds."""
    pks = list(model._base_manager.values_list("pk", flat=True))
    counts: Counter = Counter()
    for start in range(0, len(pks), 500):
        for stored in _stored(model, pks[start : start + 500]).values():
            counts.update(
                key_id_of(stored[field.column])
                for field in encrypted_fields(model)
                if stored[field.column]
            )
    return counts


# --- Checks -----------------------------------------------------------------------------


@checks.register(checks.Tags.security)
def check_keys(app_configs, **kwargs):
    try:
        keyring()
    except ValueError as error:
        return [checks.Error(f"FIELD_ENCRYPTION_KEYS: {error}.", id="painrelief.E002")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_production_key(app_configs, **kwargs):
    if configured_keys()[0] == DEVELOPMENT_KEY:
        return [
            checks.Error(
                "Private question fields are encrypted with the public development key.",
                hint=(
                    "Set FIELD_ENCRYPTION_KEYS to a key of your own "
                    "(manage.py encryption newkey); README, 'Encryption at rest'."
                ),
                id="painrelief.E001",
            )
        ]
    return []

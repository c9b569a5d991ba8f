"""What the signed tokens in emailed links may carry: ids, and an address only as a keyed hash.

Tokens sit in URL paths, which browsers' histories and every proxy's and server's access log
keep; a signed token is readable base64, so an email address in it would be in those logs.
"""

from django.utils.crypto import constant_time_compare, salted_hmac


def email_hash(email: str, *, salt: str) -> str:
    """A short keyed hash binding a token to an address without revealing it."""
    return salted_hmac(salt, email.strip().lower(), algorithm="sha256").hexdigest()[:20]


def email_matches(email: str, hashed, *, salt: str) -> bool:
    return isinstance(hashed, str) and constant_time_compare(email_hash(email, salt=salt), hashed)

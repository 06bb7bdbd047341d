"""Encryption at rest of SoundCloud tokens (Fernet: AES-128-CBC with an HMAC).

The key comes from SOUNDCLOUD_TOKEN_KEY when set, else from SECRET_KEY; either is stretched with
SHA-256 into a Fernet key, so any long random string will do. Changing the key makes stored
tokens unreadable: organisers then simply connect SoundCloud again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

CONTEXT = b"arena.publishing.soundcloud-tokens:"


class TokenUnreadable(Exception):
    """A stored token was encrypted with another key."""


def _fernet() -> Fernet:
    secret = getattr(settings, "SOUNDCLOUD_TOKEN_KEY", "") or settings.SECRET_KEY
    digest = hashlib.sha256(CONTEXT + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def token_encrypt(*, plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode("ascii") if plain else ""


def token_decrypt(*, stored: str) -> str:
    if not stored:
        return ""
    try:
        return _fernet().decrypt(stored.encode("ascii")).decode()
    except InvalidToken as exc:
        raise TokenUnreadable("The stored SoundCloud token cannot be read with this key.") from exc

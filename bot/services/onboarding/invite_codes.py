"""Invite codes: easy to type, hard to guess, stored only as a hash."""

from __future__ import annotations

import hashlib
import re
import secrets

# No look-alikes: no 0/O, no 1/I/l. Upper case only; typed codes are upper-cased.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
_NOT_CODE = re.compile(r"[\s\-_]+")


def new_code() -> str:
    """A fresh random code of :data:`CODE_LENGTH` characters (about 59 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize(typed: str) -> str:
    """The code as typed by hand: case, spaces, dashes and underscores ignored."""
    return _NOT_CODE.sub("", typed).upper()


def looks_like_code(typed: str) -> bool:
    """Whether a text could be a code at all (so plain chatter is not counted as an attempt)."""
    code = normalize(typed)
    return len(code) == CODE_LENGTH and all(c.isalnum() and c.isascii() for c in code)


def code_hash(code: str) -> str:
    """The hash stored instead of the code (SHA-256 of the normalized code)."""
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def grouped(code: str) -> str:
    """The code as printed for people: ``ABCD-EFGH-JKMN``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

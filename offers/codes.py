"""Referral codes people read aloud, type at a till and print on a card (../shared/PATTERNS.md, after pretix's
`Order.assign_code`): six characters from an alphabet with no 0/O, no 1/I and only one of each look-alike
pair, never a rude word, shown as "ABC-789" and accepted in any case, with spaces or dashes.

The stored form is `normalize()`d and unique in the database; whoever creates a deal inserts and retries on
an IntegrityError (never check-then-insert: two deals could draw the same code between check and insert).
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ3789"
LENGTH = 6
# Substrings a code must never spell in either language's Latin transliteration (a short, deliberate list).
BANNED = ("ASS", "FUC", "FUK", "SEX", "XXX", "HUY", "HUJ", "HER", "PZD", "BLY", "SUK", "GAY", "NAZ", "KKK")
SEPARATORS = " -_.\u00a0\u2010\u2011\u2012\u2013\u2014"
# A cashier on a Russian keyboard types "АВС" for "ABC": Cyrillic letters that look like the code's Latin
# ones count as those letters.
CYRILLIC_LOOKALIKES = str.maketrans("АВСЕНКМРТХУ", "ABCEHKMPTXY")


def new_code() -> str:
    """A random code (normalized form). The caller stores it under the unique constraint and retries."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if not any(word in code for word in BANNED):
            return code


def normalize(typed: str) -> str | None:
    """What someone typed or scanned → the stored form, or None if it cannot be a code.

    Case, spaces, dashes and a Cyrillic look-alike letter do not matter ("abc 789", "ABC-789", "АВС 789");
    a character outside the alphabet (a
    zero, an O, an I, a one) makes it no code at all rather than a guess at another one."""
    if not typed:
        return None
    code = "".join(ch for ch in typed.strip().upper().translate(CYRILLIC_LOOKALIKES) if ch not in SEPARATORS)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display(code: str) -> str:
    """How a code is shown and printed: two groups of three."""
    return f"{code[:3]}-{code[3:]}" if len(code) == LENGTH else code


def fragment(typed: str) -> str | None:
    """A piece of a code as someone typed it while searching ("abc-7", "АВС") → its stored form, or None if it
    cannot be part of a code (a letter outside the alphabet, or longer than a code)."""
    if not typed:
        return None
    piece = "".join(ch for ch in typed.strip().upper().translate(CYRILLIC_LOOKALIKES) if ch not in SEPARATORS)
    if not piece or len(piece) > LENGTH or any(ch not in ALPHABET for ch in piece):
        return None
    return piece

"""How customer text is folded into search terms, and how a query is read."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Apostrophes (straight or typographic), dots and hyphens join a word: O'Brien, Jean-Luc.
_WORD = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*", re.UNICODE)
_PHONE_QUERY = re.compile(r"^[\s\d()+.\-/]+$")
MAX_TERM = 300


def fold(text: str) -> str:
    """Casefolded and stripped of accents, so 'Zoë' is found by typing 'zoe'."""
    if text.isascii():
        # The same result, ten times faster, for most names (imports fold millions).
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str | None) -> list[str]:
    return [w[:MAX_TERM] for w in _WORD.findall(fold(text))] if text else []


def terms_for(name: str, company: str | None, emails: Iterable[str]) -> set[str]:
    terms = set(words(name)) | set(words(company))
    terms.update(fold(email.strip())[:MAX_TERM] for email in emails if email.strip())
    return terms


def is_number_query(text: str) -> bool:
    """A fragment of digits an agent types to find a number (at least three digits)."""
    return bool(_PHONE_QUERY.match(text)) and sum(ch.isdigit() for ch in text) >= 3


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    return prefix + "\U0010ffff"

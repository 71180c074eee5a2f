"""Accent- and case-insensitive search text, the same on SQLite and PostgreSQL."""

import unicodedata


def fold(text: str) -> str:
    """Text without accents, in case-folded form: "Élève" and "eleve" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())

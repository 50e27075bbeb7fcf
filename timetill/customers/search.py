"""How a customer is looked up by what a person types: the name without accents or case, or part of a code."""

import unicodedata

MAX_QUERY = 100


def fold(text: str) -> str:
    """Text as searched: accents removed ("Lefèvre" → "lefevre"), case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())

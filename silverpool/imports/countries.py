"""How country names are compared, by values.parse_country and by the reading process
(apart.py), which runs without Django: "Österreich", "Oesterreich" and "Osterreich",
"U.K." and "UK", "The Netherlands" and "Netherlands" are each the same."""

import re
import unicodedata

_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_MARKS = re.compile(r"[\u0300-\u036f]")


def country_keys(name: str) -> list[str]:
    """The keys `name` is found by: with its umlauts written out as Germans do (Tuerkei),
    and with every mark dropped as English speakers do (Turkiye)."""
    text = " ".join(name.casefold().replace(".", "").split()).removeprefix("the ")
    spelled_out = unicodedata.normalize("NFC", text).translate(_GERMAN_LETTERS)
    unmarked = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return list(dict.fromkeys([spelled_out, unmarked]))


def country_code(name: str, codes: dict[str, str]) -> str | None:
    """The code of the country called `name` in `codes` (values.country_names), or None."""
    # Most cells are a name as it is in `codes` ("Deutschland", "DE"): the check reads one a
    # row, and this spares them the keys' normalising.
    if (code := codes.get(name.casefold())) is not None:
        return code
    return next((codes[key] for key in country_keys(name) if key in codes), None)

"""Phone numbers in E.164 without Django (talents/phones.py), as the import's reading
process reads them; validation.normalize_phone says why one is refused."""

import pytest

from silverpool.talents.phones import e164


@pytest.mark.parametrize(
    ("written", "region", "expected"),
    [
        ("030 1234567", "DE", "+49301234567"),
        ("0664 1234567", "AT", "+436641234567"),
        ("0664 1234567", "DE", "+496641234567"),
        ("+41 44 668 18 00", "DE", "+41446681800"),
        ("12345", "DE", None),
        ("bitte anrufen", "DE", None),
    ],
)
def test_a_number_is_read_for_its_country_or_is_none(
    written: str, region: str, expected: str | None
) -> None:
    assert e164(written, region) == expected

"""Phone numbers in E.164 without Django (talents/phones.py), as the import's reading
process reads them, or why it refuses one (validation.phone_refusal words it)."""

import pytest

from silverpool.talents.phones import Refused, e164, stated_country_code


@pytest.mark.parametrize(
    ("written", "region", "expected"),
    [
        ("030 1234567", "DE", "+49301234567"),
        ("0664 1234567", "AT", "+436641234567"),
        ("0664 1234567", "DE", "+496641234567"),
        ("+41 44 668 18 00", "DE", "+41446681800"),
        ("12345", "DE", Refused.INVALID),
        ("bitte anrufen", "DE", Refused.NOT_A_NUMBER),
        ("Tel.: 030 1234567", "DE", "+49301234567"),
        # E.164 has no place for an extension: refused, not dropped without a word.
        ("+49 (0)30 1234567 ext. 12", "DE", Refused.EXTENSION),
        ("030 1234567 x12", "DE", Refused.EXTENSION),
        # Letters in a number are no digits here (libphonenumber reads "abends" as 223637,
        # and took "DW 12" for two more digits).
        ("030 1234567 (abends)", "DE", Refused.NOT_A_NUMBER),
        ("030 1234567 DW 12", "DE", Refused.EXTENSION),
        ("030 1234567-Durchwahl 12", "DE", Refused.EXTENSION),
        ("0800 FLOWERS", "DE", Refused.NOT_A_NUMBER),
        ("+999 1234567", "DE", Refused.UNKNOWN_COUNTRY_CODE),
        ("00999 1234567", "DE", Refused.UNKNOWN_COUNTRY_CODE),
    ],
)
def test_a_number_is_read_for_its_country_or_refused_with_the_reason(
    written: str, region: str, expected: str | Refused
) -> None:
    assert e164(written, region) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("0151 2000000", None),
        ("+49 (0)151-2345678", 49),
        ("0044 20 7946 09", 44),
        ("+1 555 0100 ext. 3", 1),
        ("bitte anrufen", None),
    ],
)
def test_the_country_code_a_number_states_itself(written: str, expected: int | None) -> None:
    assert stated_country_code(written, "DE") == expected

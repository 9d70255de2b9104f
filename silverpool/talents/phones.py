"""Phone numbers in E.164, without Django: the reading process of a large import, which
runs without it, reads the phone numbers of the file beside the check (see
silverpool/imports/apart.py); `validation.phone_refusal` words why a number is refused."""

from enum import Enum

import phonenumbers


class Refused(Enum):
    """Why a text is not taken as a phone number."""

    NOT_A_NUMBER = "not a number"  # libphonenumber cannot read it as one
    INVALID = "invalid"  # read, but no such number exists in its country's plan


def e164(value: str, region: str | None) -> str | Refused:
    """`value` in E.164 (+4930123456) if it is a valid phone number, read as a number of
    `region` when it has no +country code; why not otherwise."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return Refused.NOT_A_NUMBER
    if not phonenumbers.is_valid_number(number):
        return Refused.INVALID
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

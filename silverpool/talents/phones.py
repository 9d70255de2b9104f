"""Phone numbers in E.164, without Django: the reading process of a large import, which
runs without it, reads the phone numbers of the file beside the check (see
silverpool/imports/apart.py); `validation.normalize_phone` says why a number is refused."""

import phonenumbers


def e164(value: str, region: str | None) -> str | None:
    """`value` in E.164 (+4930123456) if it is a valid phone number, read as a number of
    `region` when it has no +country code; None otherwise."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

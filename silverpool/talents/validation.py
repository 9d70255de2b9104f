"""Cleaning of talent field values, shared by every channel (pages, API, import, forms).

`clean_talent_fields` raises one ValidationError whose error_dict names each bad field,
so a page shows the message on the field and the API answers 422 naming it.
"""

import datetime
import functools
import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django_countries import countries

from . import phones

if TYPE_CHECKING:
    from .models import CustomField

# Fields a channel may set directly on a talent. Status, owner, pools and tags have
# their own services because each change is a distinct timeline event.
EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "city",
    "country",
    "job_title",
    "skills",
    "linkedin_url",
    "profile_urls",
    "salary_amount",
    "salary_currency",
    "salary_period",
    "available_from",
    "custom_values",
)

MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "postcode": 20,
    "city": 100,
    "job_title": 200,
}
MAX_SKILLS = 100
MAX_SKILL_LENGTH = 80
_url_validator = URLValidator(schemes=["http", "https"])


def _compiled(lazy: Any) -> re.Pattern[str]:
    return re.compile(lazy.pattern, lazy.flags)


class _EmailValidator(EmailValidator):
    """Django's rule for emails, with its patterns compiled at once: through the lazy
    objects Django keeps them in, each use cost more than the match (12 µs an email against
    3 µs here; an import checks one in every row of its file, 100,000 at a time)."""

    user_regex = _compiled(EmailValidator.user_regex)
    domain_regex = _compiled(EmailValidator.domain_regex)
    literal_regex = _compiled(EmailValidator.literal_regex)


validate_email = _EmailValidator()


def normalize_email(value: str) -> str:
    """The form every email is stored and compared in: trimmed, domain lower-cased."""
    value = value.strip()
    if not value:
        return ""
    validate_email(value)
    local, _sep, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalize_phone(value: str, default_region: str | None = None) -> str:
    """Parse a phone number written any common way; return it in E.164 (+4930123456)."""
    value = value.strip()
    if not value:
        return ""
    region = default_region or str(getattr(settings, "PHONE_DEFAULT_REGION", "DE"))
    number = phones.e164(value, region)
    if isinstance(number, phones.Refused):
        raise ValidationError(phone_refusal(number, value, region))
    return number


def phone_refusal(refused: phones.Refused, value: str, region: str) -> str:
    """Why `value`, read as a number of `region` unless it has a country code, is refused,
    in words: with the country it was read for, since a number of another country without
    its code is a common reason."""
    if refused is phones.Refused.NOT_A_NUMBER:
        return _("This is not a phone number.")
    if refused is phones.Refused.UNKNOWN_COUNTRY_CODE:
        return _("No country has the country code this number starts with.")
    if refused is phones.Refused.EXTENSION:
        return _(
            "A phone number is stored without an extension: leave it out here and put it in a note."
        )
    if code := phones.stated_country_code(value, region):
        return _(
            "Not a valid phone number with the country code +%(code)s: check the area code "
            "and the number of digits."
        ) % {"code": code}
    return _(
        "Not a valid phone number (country of numbers without a country code: %(country)s): "
        "check the area code and the number of digits."
    ) % {"country": countries.name(region) or region}


def format_phone(value: str) -> str:
    """E.164 shown the international way a person reads it: +49 30 123456."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_url(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    _url_validator(value)
    return value


_LINKEDIN = re.compile(r"https?://([a-z0-9-]+\.)?linkedin\.com(?P<path>/[^?#]*)?([?#].*)?", re.I)
# An address of that shape whose subdomain is a plain label and which has no spaces is a
# valid URL as it stands: URLValidator's patterns, a third of cleaning a talent's fields
# with one, are left for the others (an import cleans every row of its file).
_PLAIN_LINKEDIN = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)?linkedin\.com"
    r"(?P<path>/[^?#\s]*)?(?:[?#]\S*)?",
    re.I,
)


def normalize_linkedin(value: str) -> str:
    """LinkedIn URLs compared for duplicates: https://www.linkedin.com, lower case, without
    query, fragment or trailing slash. Other sites belong in the profile URLs."""
    value = value.strip()
    if not value:
        return ""
    url = value if "://" in value else "https://" + value
    match = _PLAIN_LINKEDIN.fullmatch(url) if len(url) <= _url_validator.max_length else None
    if match is None:
        match = _LINKEDIN.fullmatch(normalize_url(value))
    if match is None:
        raise ValidationError(_("Enter a LinkedIn address such as linkedin.com/in/name."))
    return ("https://www.linkedin.com" + (match["path"] or "")).rstrip("/").lower()


# Skills in one text are separated by these, and by slashes, except that a slash between
# short capitals or symbols belongs to the skill (C/C++, UI/UX, CI/CD, TCP/IP, PL/SQL,
# and with digits after it SAP S/4HANA, R/3, AS/400); elsewhere ("Python/Django",
# "Go/Rust") it separates two skills.
_SKILL_SEPARATORS = re.compile(r"[,;|\n\r\t•·▪◦‣●■○]")
_KEEP_SLASH = r"(?<![\w+#])[A-Z+#]{1,3}/[A-Z0-9+#]{1,6}(?![\w+#])"
# A chunk's skills: runs of kept slashes and other characters than a slash.
_SKILL = re.compile(rf"(?:{_KEEP_SLASH}|[^/])+")


def _skill_parts(text: str) -> list[str]:
    parts: list[str] = []
    for chunk in _SKILL_SEPARATORS.split(text):
        parts.extend(_SKILL.findall(chunk) if "/" in chunk else (chunk,))
    # List markers ("- Python", "* SQL") are not part of the skill.
    return [part.strip(" -*") for part in parts]


def split_skills(value: str | Iterable[str]) -> list[str]:
    """Skills from a list, or from a text separated by commas, semicolons, slashes, bullets
    or lines; trimmed, each once (the first spelling wins)."""
    items = _skill_parts(value) if isinstance(value, str) else list(value)
    skills: list[str] = []
    seen: set[str] = set()
    for item in items:
        skill = str(item).strip()
        key = skill.lower()
        if skill and key not in seen:
            seen.add(key)
            skills.append(skill)
    return skills


# Amounts with separators, as Germans and English speakers write them, and what to do
# with the separators: 65.000 and 4.500,50; 65,000 and 1,250,000.00; 4500,50.
_SALARY_FORMATS = [
    (re.compile(r"\d{1,3}(\.\d{3})+(,\d{1,2})?"), str.maketrans({".": "", ",": "."})),
    (re.compile(r"\d{1,3}(,\d{3})+(\.\d{1,2})?"), str.maketrans({",": ""})),
    (re.compile(r"\d+,\d{1,2}"), str.maketrans({",": "."})),
]


def parse_salary(value: Any) -> Decimal | None:
    """A salary amount; "65.000" is 65,000 (German thousands), never 65."""
    if value is None or value == "":
        return None
    # A Decimal was read already (an import's salary cell): not read again as text.
    amount = value if isinstance(value, Decimal) else _salary_amount(str(value))
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise ValidationError(_("Enter a salary between 0 and 9,999,999,999."))
    return amount.quantize(Decimal("0.01"))


def _salary_amount(text: str) -> Decimal:
    text = re.sub(r"[\s']", "", text)  # 65 000, and the Swiss 65'000
    for pattern, separators in _SALARY_FORMATS:
        if pattern.fullmatch(text):
            text = text.translate(separators)
            break
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("Enter the salary as a number, e.g. 65000.")) from exc


def parse_date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from exc


def custom_fields_by_key() -> dict[str, "CustomField"]:
    from .models import CustomField

    return {f.key: f for f in CustomField.objects.all()}


def _clean_custom_values(
    value: Any, fields: Mapping[str, "CustomField"] | None = None
) -> dict[str, Any]:
    from .models import CustomField

    if not isinstance(value, Mapping):
        raise ValidationError(_("Custom fields must be an object of key and value."))
    if fields is None:
        fields = custom_fields_by_key()
    cleaned: dict[str, Any] = {}
    for key, raw in value.items():
        field = fields.get(key)
        if field is None:
            raise ValidationError(_("There is no custom field “%(key)s”.") % {"key": key})
        if raw is None or raw == "":
            continue
        if field.kind == CustomField.Kind.NUMBER:
            try:
                number = float(Decimal(str(raw)))
            except (InvalidOperation, ValueError):  # ValueError: a signalling NaN
                number = math.nan
            if not math.isfinite(number):  # JSON (and PostgreSQL's jsonb) has no NaN or Infinity
                raise ValidationError(_("“%(label)s” must be a number.") % {"label": field.label})
            cleaned[key] = number
        elif field.kind == CustomField.Kind.DATE:
            cleaned[key] = parse_date(raw).isoformat()  # type: ignore[union-attr]
        elif field.kind == CustomField.Kind.CHOICE:
            if raw not in field.choices:
                raise ValidationError(
                    _("“%(value)s” is not one of the choices of “%(label)s”.")
                    % {"value": raw, "label": field.label}
                )
            cleaned[key] = raw
        else:
            cleaned[key] = str(raw).strip()[:2000]
    return cleaned


def _limited(value: str, max_length: int) -> str:
    # The database enforces these lengths on PostgreSQL; say so on the field instead.
    if len(value) > max_length:
        raise ValidationError(_("At most %(n)d characters, please.") % {"n": max_length})
    return value


def _has_nul(value: Any) -> bool:
    """PostgreSQL cannot store NUL characters in text or jsonb."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


def _text(value: Any) -> str:
    """A text field's value. Spreadsheets and JSON bring numbers too (a phone as 3012345)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    raise ValidationError(_("Enter text here."))


def _phone_region(raw: Mapping[str, Any]) -> str | None:
    """The talent's country, if given, is where a number without +country code is read."""
    code = raw.get("country")
    code = code.strip().upper() if isinstance(code, str) else ""
    return code if code in phonenumbers.SUPPORTED_REGIONS else None


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValidationError(_("Enter a list."))
    return list(value)


def _clean_one(
    name: str,
    value: Any,
    *,
    region: str | None = None,
    custom_fields: Mapping[str, "CustomField"] | None = None,
) -> Any:
    if name in MAX_LENGTHS:
        value = "" if value is None else str(value).strip()
        if len(value) > MAX_LENGTHS[name]:
            raise ValidationError(_("At most %(n)d characters, please.") % {"n": MAX_LENGTHS[name]})
        return value
    match name:
        case "email":
            return _limited(normalize_email(_text(value)), 254)
        case "phone":
            return normalize_phone(_text(value), region)
        case "linkedin_url":
            return _limited(normalize_linkedin(_text(value)), 300)
        case "profile_urls":
            urls = value.split() if isinstance(value, str) else _list(value)
            return [normalize_url(str(url)) for url in urls if str(url).strip()]
        case "skills":
            skills = split_skills(value if isinstance(value, str) else _list(value))
            if len(skills) > MAX_SKILLS or any(len(s) > MAX_SKILL_LENGTH for s in skills):
                raise ValidationError(
                    _("At most %(n)d skills of at most %(m)d characters each.")
                    % {"n": MAX_SKILLS, "m": MAX_SKILL_LENGTH}
                )
            return skills
        case "salary_amount":
            return parse_salary(value)
        case "salary_currency":
            code = _text(value).strip().upper()
            if code and not re.fullmatch(r"[A-Z]{3}", code):
                raise ValidationError(_("Enter a three-letter currency code such as EUR."))
            return code or "EUR"
        case "salary_period":
            if value not in ("year", "month"):
                raise ValidationError(_("Choose per year or per month."))
            return value
        case "available_from":
            return parse_date(value)
        case "country":
            code = _text(value).strip().upper()
            if code and code not in _country_codes():
                raise ValidationError(_("Choose a country from the list."))
            return code
        case "custom_values":
            return _clean_custom_values(value or {}, custom_fields)
    raise ValidationError(_("This field cannot be set."))


@functools.cache
def _country_codes() -> frozenset[str]:
    """The codes of the country list. `code in countries` reads a context-local of
    django-countries each time: 3 µs, a sixth of cleaning a talent's fields (an import
    cleans every row of its file)."""
    return frozenset(countries.countries)


def clean_talent_fields(
    raw: Mapping[str, Any],
    *,
    partial: bool,
    country: str = "",
    custom_fields: Mapping[str, "CustomField"] | None = None,
) -> dict[str, Any]:
    """Validate and normalise talent fields; raise a ValidationError naming every bad field.

    With partial=False (a new talent) a first name is required. `country` is the talent's
    current country, where a phone number without a country code is read unless `raw`
    sets a country itself. `custom_fields` (from custom_fields_by_key) saves a query per
    call when many talents are cleaned at once.
    """
    region = _phone_region(raw) or _phone_region({"country": country})
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in EDITABLE_FIELDS:
            errors[name] = [_("This field cannot be set.")]
            continue
        if _has_nul(value):
            errors[name] = [_("Null characters are not allowed.")]
            continue
        try:
            cleaned[name] = _clean_one(name, value, region=region, custom_fields=custom_fields)
        except ValidationError as exc:
            errors[name] = exc.messages
    if not partial and not cleaned.get("first_name") and "first_name" not in errors:
        errors["first_name"] = [_("A first name is required.")]
    if partial and "first_name" in cleaned and not cleaned["first_name"]:
        errors["first_name"] = [_("A first name is required.")]
    if errors:
        raise ValidationError(errors)
    return cleaned

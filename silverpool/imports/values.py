"""Cell values read the way a German or English recruiter wrote them.

Each parser takes a cell as python-calamine yields it and returns the value, an empty
value (None, "" or []) for a blank cell, or raises ValueError with a message for the
recruiter that names the cell's text. Checks that every channel shares (lengths, email,
the phone number itself, custom field kinds) stay in `silverpool.talents.validation`.
"""

import datetime
import re
from contextlib import suppress
from decimal import Decimal
from functools import cache, lru_cache
from typing import NamedTuple

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries import Countries, countries
from django_countries.data import COUNTRIES

from silverpool.privacy.services.audit import FORMULA_STARTS
from silverpool.talents import phones, validation
from silverpool.talents.models import Talent

from .countries import country_code, country_keys
from .reading.table import Cell

# Spreadsheet cells bring invisible characters along from web pages and CRMs. Non-breaking
# spaces become spaces so "Max\u00a0Muster" keeps its space; zero-width ones and the BOM go.
_SPACE_CHARACTERS = "\u00a0\u2007\u202f"
_INVISIBLE_CHARACTERS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = str.maketrans(dict.fromkeys(_SPACE_CHARACTERS, " "))
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
_ODD = re.compile(f"[{_SPACE_CHARACTERS}{_INVISIBLE_CHARACTERS}]")


def clean_text(cell: Cell) -> str:
    """The cell as trimmed text; a whole number as 12345, not 12345.0."""
    # Most cells are text: the checks for the other kinds come after (the check reads every
    # cell of the file through here).
    if type(cell) is str:
        text = cell
    elif cell is None:
        return ""
    elif isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    elif isinstance(cell, datetime.datetime) and cell.time() == datetime.time():
        return cell.date().isoformat()
    elif isinstance(cell, datetime.date | datetime.time):
        return cell.isoformat()
    else:
        text = str(cell)
    # Most cells are ASCII, and most others (umlauts) have none of these: one search
    # instead of translating every character of every such cell.
    if not text.isascii() and _ODD.search(text):
        text = _INVISIBLE.sub("", text.translate(_SPACES))
    text = text.strip()
    if text[:1] == "'" and text.lstrip("'").startswith(FORMULA_STARTS):
        # Our export (and other careful ones) put a ' before text a spreadsheet would run as
        # a formula, such as +49 151 ...; it is not part of the value.
        text = text[1:].strip()
    return text


# What spreadsheets hold where there is no value: dashes, question marks, "n/a", "k. A."
# (keine Angabe), Excel's #N/A (German #NV) saved as text. Such a cell is an empty one.
_NO_VALUE = frozenset(
    {
        *("-", "--", "---", "–", "—", "/", "./.", "-/-", "?", "??", "???", ".", "...", "…"),
        *("n/a", "n.a.", "n. a.", "n.v.", "n. v.", "k.a.", "k. a.", "k.a", "#n/a", "#nv"),
        *("keine angabe", "keine angaben", "ohne angabe", "nicht angegeben", "unbekannt"),
        # Not "null": some people are called Null.
        *("nicht bekannt", "entfällt", "unknown", "not specified", "none", "tbd"),
    }
)
_NO_VALUE_LENGTH = max(map(len, _NO_VALUE))


def is_no_value(cell: Cell) -> bool:
    """Whether the cell holds one of the spreadsheet's ways of saying "no value"."""
    return (
        type(cell) is str
        and len(cell) <= _NO_VALUE_LENGTH + 2
        and cell.strip().casefold() in _NO_VALUE
    )


def is_remark(cell: Cell) -> bool:
    """Whether the cell is words without a figure ("nach Vereinbarung", "nach Absprache"):
    what a recruiter wrote instead of a salary or a date."""
    return type(cell) is str and not any(character.isdigit() for character in cell)


def note_text(cell: Cell) -> str:
    """The cell as a note shows it: a date (an application's, say) as the uploader reads
    dates, "3. Mai 2019" or "3 May 2019", instead of 2019-05-03; anything else as
    clean_text has it."""
    if isinstance(cell, datetime.datetime) and cell.time() == datetime.time():
        cell = cell.date()
    if type(cell) is datetime.date:
        return date_format(cell)
    return clean_text(cell)


def _quoted(message: str, cell: Cell) -> ValueError:
    return ValueError(message % {"value": clean_text(cell)})


# --- dates -------------------------------------------------------------------------------

# Excel counts days from 1899-12-30. Only serials from 1920 to 2099 are read as dates: a
# bare 2027 (a year) or 85000 (a salary in the wrong column) must not become one.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_FIRST_SERIAL = (datetime.date(1920, 1, 1) - _EXCEL_EPOCH).days
_LAST_SERIAL = (datetime.date(2099, 12, 31) - _EXCEL_EPOCH).days

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "januar jänner january jan",
            "februar february feb",
            "märz maerz march mär mrz mar",
            "april apr",
            "mai may",
            "juni june jun",
            "juli july jul",
            "august aug",
            "september sept sep",
            "oktober october okt oct",
            "november nov",
            "dezember december dez dec",
        ],
        start=1,
    )
    for name in names.split()
}
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _TIME)
_DOTTED = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})" + _TIME)
_SLASHED = re.compile(r"(?P<first>\d{1,2})[/-](?P<second>\d{1,2})[/-](?P<year>\d{4}|\d{2})" + _TIME)
_MONTH_YEAR = re.compile(r"(?P<month>\d{1,2})[./](?P<year>\d{4})")
_NAMED = re.compile(
    r"(?:(?P<day>\d{1,2})\.?\s*)?(?P<name>[^\W\d_]+)\.?,?\s*(?P<year>\d{4})", re.IGNORECASE
)
# Q2 2027, 2. Quartal 2027, 2nd quarter 2027: the quarter's first day.
_QUARTER = re.compile(
    r"(?:q\s?(?P<q>[1-4])|(?P<n>[1-4])(?:\.|st|nd|rd|th)?\s*(?:quartal|quarter))"
    r"\s*[/.,]?\s*(?P<year>\d{4}|'?\d{2})",
    re.IGNORECASE,
)
# KW 12/2027, KW12 2027, week 12 2027: the Monday of that ISO week.
_WEEK = re.compile(
    r"(?:kw|week|wk)\s?(?P<week>\d{1,2})\s*[/.,]?\s*(?P<year>\d{4}|'?\d{2})", re.IGNORECASE
)
# Anfang März 2027, Mitte 03/2027, end of March 2027: the 1st, the 15th, the last day.
_PART_OF_MONTH = re.compile(
    r"(?P<part>anfang|beginning of|early|mitte|mid-?|middle of|ende|end of|late)\s*(?P<rest>.+)",
    re.IGNORECASE,
)
# "Verfügbar ab: ab 01.04.2027", "per sofort", "from March 2027": the word before says
# nothing the column does not.
_FROM = re.compile(r"(?:ab|per|from)\s+", re.IGNORECASE)
_AT_ONCE = {"sofort", "asap", "immediately", "now"}


def _year(text: str) -> int:
    # Two-digit years are this century's: availability dates lie ahead, not in the 1900s.
    text = text.lstrip("'")  # '27
    return 2000 + int(text) if len(text) == 2 else int(text)


def _month(text: str) -> datetime.date | None:
    """The first day of a month written as 03/2027, 03.2027 or "März 2027"."""
    if match := _MONTH_YEAR.fullmatch(text):
        return datetime.date(int(match["year"]), int(match["month"]), 1)
    match = _NAMED.fullmatch(text)
    if match and not match["day"] and (month := _MONTHS.get(match["name"].lower())):
        return datetime.date(int(match["year"]), month, 1)
    return None


def _period_start(text: str) -> datetime.date | None:
    """The first day of a quarter or calendar week, or the day a part of a month
    ("Anfang", "Mitte", "Ende") stands for."""
    if match := _QUARTER.fullmatch(text):
        quarter = int(match["q"] or match["n"])
        return datetime.date(_year(match["year"]), 3 * quarter - 2, 1)
    if match := _WEEK.fullmatch(text):
        return datetime.date.fromisocalendar(_year(match["year"]), int(match["week"]), 1)
    if (match := _PART_OF_MONTH.fullmatch(text)) and (month := _month(match["rest"])):
        part = match["part"].lower()
        if part in ("anfang", "beginning of", "early"):
            return month
        if part.startswith(("mi", "middle")):
            return month.replace(day=15)
        following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return following - datetime.timedelta(days=1)
    return None


def _date_from_text(text: str) -> datetime.date | None:
    if match := _ISO.fullmatch(text):
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _DOTTED.fullmatch(text):
        return datetime.date(_year(match["year"]), int(match["month"]), int(match["day"]))
    if match := _SLASHED.fullmatch(text):
        # Day first, as Germans and the British write it (01/03/2027 is 1 March). Only a
        # date that cannot be day-first, such as 03/15/2027, is read the American way.
        first, second = int(match["first"]), int(match["second"])
        day, month = (second, first) if second > 12 >= first else (first, second)
        return datetime.date(_year(match["year"]), month, day)
    if first_day := _month(text):
        return first_day
    if (match := _NAMED.fullmatch(text)) and match["name"].lower() in _MONTHS:
        month = _MONTHS[match["name"].lower()]
        return datetime.date(int(match["year"]), month, int(match["day"]))
    return None


def parse_date(cell: Cell) -> datetime.date | None:
    """A date from an Excel date or serial number, 2027-03-01, 01.03.2027, 1.3.27,
    01/03/2027 (day first), 03/2027, 03.2027, "1. März 2027" or "March 2027" (the 1st);
    "Q2 2027" or "2. Quartal 2027" (its first day), "KW 12/2027" (its Monday), "Anfang",
    "Mitte" or "Ende März 2027" (the 1st, 15th or last); "sofort", "ab sofort", "asap",
    "immediately" or "now" is today (in Silverpool's time zone). A leading "ab", "per" or
    "from" is read past."""
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = clean_text(cell)
    if not text:
        return None
    try:
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            if _FIRST_SERIAL <= cell <= _LAST_SERIAL:
                return _EXCEL_EPOCH + datetime.timedelta(days=int(cell))
        elif isinstance(cell, str):
            words = text[match.end() :] if (match := _FROM.match(text)) else text
            if " ".join(words.split()).casefold() in _AT_ONCE:
                return timezone.localdate()
            if date := _date_from_text(words) or _period_start(words):
                return date
    except ValueError:  # a day or month that does not exist, such as 31.02.2027
        pass
    raise _quoted(_("“%(value)s” is not a date."), cell)


# --- salaries ----------------------------------------------------------------------------


class Salary(NamedTuple):
    """What a salary cell says, for Talent.salary_amount, salary_currency and salary_period."""

    amount: Decimal
    currency: str
    period: Talent.SalaryPeriod | None  # None when the cell does not say


_CURRENCIES = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "$": "USD",
    "usd": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "chf": "CHF",
    "fr": "CHF",
}
_PERIODS = [
    (
        Talent.SalaryPeriod.MONTH,
        re.compile(
            r"\b(?:pro|per|im|a|je)?\s*(?:monat|monatlich|mtl|month|monthly)\b|\bp\.?m\b", re.I
        ),
    ),
    (
        Talent.SalaryPeriod.YEAR,
        re.compile(
            r"\b(?:pro|per|im|a|je)?\s*(?:jahr|jährlich|year|yearly|annual|annum)\b|\bp\.?a\b", re.I
        ),
    ),
]
# Words around an amount that say nothing about it: "ca. 55.000 EUR brutto", "ab 60k".
_NOISE = {"ca", "circa", "etwa", "approx", "about", "around", "ab", "from", "brutto", "gross"}
_THOUSANDS = r"(?:k|tsd|t)"  # 65k, 65 K, 65 Tsd., 65 TEUR
_AMOUNT = r"\d[\d.,' ]*?(?:[.,]-)?"
_SALARY = re.compile(
    rf"(?P<low>{_AMOUNT})\s*(?P<low_k>{_THOUSANDS})?"
    rf"(?:\s*(?:-|–|—|bis|to)\s*(?P<high>{_AMOUNT})\s*(?P<high_k>{_THOUSANDS})?)?"
)


def _amount(text: str, thousands: bool) -> Decimal:
    # validation.parse_salary knows German and English separators by their shape:
    # 65.000 and 4.500,50; 65,000 and 1,250,000.00; 65 000 and the Swiss 65'000.
    amount = validation.parse_salary(text.strip().removesuffix(",-").removesuffix(".-"))
    if amount is None:
        raise ValueError
    return amount * 1000 if thousands else amount


# A file's salaries repeat ("65.000 €"): each text read once (10 µs otherwise, after the
# phone number the slowest cell of a row). A Salary holds immutable values only.
@lru_cache(maxsize=4096)
def _salary_from_text(text: str, currency: str) -> Salary | None:
    period = None
    for choice, pattern in _PERIODS:
        if pattern.search(text):
            text, period = pattern.sub(" ", text), choice
    thousands = False

    def consume(match: re.Match[str]) -> str:
        nonlocal currency, thousands
        word = match.group()
        if word.lower() in ("k", "tsd", "t", "bis", "to"):
            return word.lower()
        if word.lower() == "teur":
            currency, thousands = "EUR", True
        elif word.lower() in _CURRENCIES:
            currency = _CURRENCIES[word.lower()]
        elif re.fullmatch(r"[A-Z]{3}", word):
            currency = word
        elif word.lower() not in _NOISE:
            raise ValueError
        return " "

    text = re.sub(r"[^\W\d_]+|[€$£]", consume, text.replace("T€", "TEUR").replace("t€", "teur"))
    match = _SALARY.fullmatch(text.strip(" ./:~≈"))
    if match is None:
        return None
    high_thousands = thousands or match["high_k"] is not None
    low = _amount(match["low"], high_thousands or match["low_k"] is not None)
    if match["high"] is not None and _amount(match["high"], high_thousands) < low:
        raise ValueError
    return Salary(low, currency, period)


def parse_salary(cell: Cell, default_currency: str = "EUR") -> Salary | None:
    """A salary such as 65000, 65.000 €, 65,000 EUR, 65k, ca. 55.000 EUR, € 4.500 / Monat,
    4500 per month, CHF 120'000 or £45,000.

    Of a range such as 60-70k the lower bound is taken: it is a figure the candidate wrote,
    and the one a budget is checked against. The currency is the default unless a symbol or
    code says otherwise; the period is None unless a word says (Monat, month, p.a., Jahr).
    """
    text = clean_text(cell).replace("’", "'")
    if not text:
        return None
    try:
        if isinstance(cell, bool) or not isinstance(cell, int | float | str):
            salary = None
        elif isinstance(cell, str):
            salary = _salary_from_text(text, default_currency)
        else:
            salary = Salary(Decimal(text), default_currency, None)
    except (ValidationError, ValueError):
        salary = None
    if salary is None or not 0 <= salary.amount < Decimal("1e10"):
        raise _quoted(_("“%(value)s” is not a salary."), cell)
    # Not _replace: five times as slow.
    return Salary(salary.amount.quantize(Decimal("0.01")), salary.currency, salary.period)


def parse_currency(cell: Cell) -> str:
    """A currency code from a column of its own: EUR, €, Euro, usd, $, CHF, Fr."""
    text = clean_text(cell)
    if not text:
        return ""
    code = _CURRENCIES.get(text.lower(), text.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise _quoted(_("“%(value)s” is not a currency."), cell)
    return code


def parse_salary_period(cell: Cell) -> Talent.SalaryPeriod | None:
    """A salary period from a column of its own: "per year", "pro Monat", "monthly",
    "p.a.", "Jahr" (the export writes the first two)."""
    text = clean_text(cell)
    if not text:
        return None
    for choice, pattern in _PERIODS:
        if pattern.search(text):
            return choice
    raise _quoted(_("“%(value)s” is not a salary period (per year or per month)."), cell)


def parse_number(cell: Cell) -> int | float | str:
    """A number as Germans or English speakers write it: 7,5 and 7.5; 1.000 and 1,000
    (thousands) by their shape, as for salaries. Text that is no number is returned as it
    is, for the custom field's own check to refuse with its message."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return cell
    text = re.sub(r"[\s']", "", clean_text(cell))
    sign = "-" if text.startswith("-") else ""
    for pattern, separators in _NUMBER_FORMATS:
        if pattern.fullmatch(text.removeprefix("-")):
            number = Decimal(text.removeprefix("-").translate(separators))
            return float(f"{sign}{number}")
    return clean_text(cell)


# 1.000 and 1.234,5; 1,000 and 1,234.5; 7,5 — in the order validation.parse_salary reads
# them, so that 1,000 is a thousand there and here. A first group of 0 is no thousands:
# 0.125 is an eighth.
_NUMBER_FORMATS = [
    (re.compile(r"[1-9]\d{0,2}(\.\d{3})+(,\d+)?"), str.maketrans({".": "", ",": "."})),
    (re.compile(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?"), str.maketrans({",": ""})),
    (re.compile(r"\d+,\d+"), str.maketrans({",": "."})),
    (re.compile(r"\d+(\.\d+)?"), str.maketrans({})),
]


# --- phones and skills -------------------------------------------------------------------


class Phone(NamedTuple):
    number: str  # E.164
    further: list[str]  # other numbers in the cell, as written: "+49 30 1234567 (Büro)"
    remark: str = ""  # what the cell says about the number: "privat", "nur abends"


# Between two numbers in a cell: "0151 12345678 / 030 1234567", "…, …", "… oder …". Not a
# slash without spaces, which is a separator within a number (030/1234567).
_PHONE_LIST = re.compile(r"\s*[,;|\n]\s*|\s+/\s+|\s+(?:oder|or|und|and)\s+", re.IGNORECASE)
# A remark after a number: "0151 12345678 (privat)"; not "+49 (0)151 …".
_PHONE_REMARK = re.compile(r"(?P<number>.*?)\s*\((?P<remark>[^()]*[^\W\d_][^()]*)\)")


def parse_phone(
    cell: Cell, default_region: str, read: str | phones.Refused | None = None
) -> Phone | None:
    """A phone number in E.164, or None for a blank cell; `default_region` (DE) is where a
    number without a country code is read. `read`: the text cell as phones.e164 read it
    for `default_region` already (the reading process, apart.py), if it did. A cell with
    several numbers gives the first, and the others as written; a remark in brackets after
    the number is the remark ("0151 12345678 (nur abends)").

    A number typed into Excel loses its leading 0 (0151 12345678 arrives as 15112345678.0)
    or its + (+49 151 … as 4915112345678.0). Such a cell is read with a country code when
    its digits start with the default region's one and that makes a valid number, else as
    a national number.
    """
    text = clean_text(cell)
    if not text:
        return None
    if isinstance(cell, int | float) and text.isdigit():
        code = str(phonenumbers.country_code_for_region(default_region))
        with suppress(ValidationError):
            if text.startswith(code):
                return Phone(validation.normalize_phone("+" + text), [])
    if read is None:
        read = phones.e164(text, default_region)
    if not isinstance(read, phones.Refused):
        return Phone(read, [])
    if isinstance(cell, str) and (listed := _listed_phones(text, default_region)):
        return listed
    reason = validation.phone_refusal(read)
    raise ValueError(_("“%(value)s”: %(reason)s") % {"value": text, "reason": reason})


def _listed_phones(text: str, region: str) -> Phone | None:
    """The cell's numbers, if it holds several or a remark and each is a valid number."""
    parts = _PHONE_LIST.split(text)
    numbers, remarks = [], []
    for part in parts:
        match = _PHONE_REMARK.fullmatch(part)
        number = phones.e164(match["number"] if match else part, region)
        if isinstance(number, phones.Refused):
            return None
        numbers.append(number)
        remarks.append(match["remark"].strip() if match else "")
    if len(parts) == 1 and not remarks[0]:
        return None
    return Phone(numbers[0], parts[1:], remarks[0])


# --- postcodes ---------------------------------------------------------------------------

# Countries whose postcodes are five digits, some of them starting with 0 (01069 Dresden,
# 00184 Roma, 02139 Cambridge MA): a spreadsheet drops the 0 of one typed as a number, and
# a CSV file saved from it keeps it dropped.
_FIVE_DIGIT_POSTCODES = {"DE", "FR", "IT", "ES", "FI", "US"}


def postcode_of(text: str, country: str) -> str:
    """The postcode `text` (a postcode cell as clean_text reads it) in `country`, with the
    zeros in front that a spreadsheet dropped: 1069 in Germany is 01069."""
    if country in _FIVE_DIGIT_POSTCODES and len(text) in (3, 4) and text.isdigit():
        return text.zfill(5)
    return text


# --- email addresses ---------------------------------------------------------------------

_ADDRESS = r"[^\s<>,;()\"'@]+@[^\s<>,;()\"'@/]+"
# One address as CRMs, mail programs and mailto links write it: anna@example.de,
# mailto:anna@example.de, Anna Schmidt <anna@example.de>, and as Outlook copies its
# recipients, Schmidt, Anna <anna@example.de> (or with the name in quotes).
_EMAIL_ITEM = re.compile(
    rf"(?:(?:\"[^\"]*\"\s*|[^<>;@\"]*)<\s*(?:mailto:)?(?P<named>{_ADDRESS})\s*>"
    rf"|(?:mailto:)?(?P<plain>{_ADDRESS}))",
    re.IGNORECASE,
)
_EMAIL_SEPARATOR = re.compile(r"\s*[,;/]\s*|\s+")
# What a cell of one plain address (most cells) has none of: it needs no parsing.
_NOT_PLAIN = re.compile(r"[\s<>,;/:]")


def parse_emails(cell: Cell) -> tuple[str, list[str]]:
    """The cell's email address, and the other addresses if it holds several ("anna@a.de;
    anna@b.de", as some exports write them). A mailto: link, or a name with the address
    in <…>, gives the address alone. A cell that is not a list of addresses comes back as
    its text, for the email check to refuse it as it is ("max at gmail.com")."""
    text = clean_text(cell)
    if not _NOT_PLAIN.search(text):
        return text, []
    # Outlook ends a list it copies with a semicolon.
    text = text.rstrip(",; ")
    addresses: list[str] = []
    position = 0
    while position < len(text):
        if addresses:
            separator = _EMAIL_SEPARATOR.match(text, position)
            if separator is None:
                return text, []
            position = separator.end()
        item = _EMAIL_ITEM.match(text, position)
        if item is None:
            return text, []
        addresses.append(item["named"] or item["plain"])
        position = item.end()
    if not addresses:
        return text, []
    first, *others = addresses
    further: dict[str, str] = {}
    for address in others:  # each once, upper and lower case ignored
        further.setdefault(address.lower(), address)
    further.pop(first.lower(), None)
    return first, list(further.values())


# --- names and countries -----------------------------------------------------------------


class FullName(NamedTuple):
    first: str
    last: str
    title: str  # academic titles and degrees as written: "Prof. Dr.", "M.Sc."


# A form of address before a name ("Frau", "Herrn", "Mr."): left out, as a column of its
# own ("Anrede") is by default.
_SALUTATION = re.compile(r"herrn?|frau|hr\.|fr\.|mrs?\.?|ms\.?|miss|mx\.?", re.IGNORECASE)
# Academic titles before a name as Germans, Austrians and English speakers write them:
# "Prof. Dr.", "Dr.-Ing.", "Dr. rer. nat.", "Dipl.-Kfm.", "Mag.", "Univ.-Prof.", "Dr".
_TITLE = re.compile(
    r"(?:univ\.-)?prof\.?|dr\.?(?:-ing\.)?|priv\.-doz\.|dipl\.-[^\W\d_]+\.?|mag\.|ing\."
    r"|(?:med|dent|vet|rer|nat|pol|oec|phil|jur|habil)\.",
    re.IGNORECASE,
)
# Degrees after a name: "Anna Schmidt, M.Sc.", "Max Weber MBA", "Berg, Anna, PhD".
_DEGREES = re.compile(
    r"(?:(?:,\s*|\s+)(?:[BM]\.\s?(?:Sc|A|Eng|Ed)\.|[BM]Sc|[BM]Eng|MBA|LL\.\s?[BM]\.|Ph\.\s?D\.?|PhD))+$"
)


def split_full_name(cell: Cell) -> FullName:
    """First and last name from one cell: "Mustermann, Max" (an ATS export's way) or
    "Max Mustermann"; everything after the first word is the last name ("Anna von Berg").
    A form of address before the name is left out, academic titles and degrees are the
    title ("Frau Dr. Anna Schmidt", "Schmidt, Dr. Anna", "Anna Schmidt, M.Sc."); a single
    name after them is the last name ("Herr Schmidt")."""
    text = " ".join(clean_text(cell).split())
    degrees = ""
    if (found := _DEGREES.search(text)) and found.start() > 0:
        text, degrees = text[: found.start()], found.group().strip(" ,")
    if "," in text:
        last, _comma, first = text.partition(",")
        first, first_titles, _addressed = _titles_off(first)
        last, titles, _addressed = _titles_off(last)
        titles += first_titles
    else:
        name, titles, addressed = _titles_off(text)
        first, _space, last = name.partition(" ")
        if addressed and not last:
            first, last = "", first
    return FullName(first, last, " ".join(filter(None, [*titles, degrees])))


def _titles_off(name: str) -> tuple[str, list[str], bool]:
    """`name` without the forms of address and titles it starts with; those titles; and
    whether it started with either."""
    words = name.split()
    start = 0
    while start < len(words) and (
        _SALUTATION.fullmatch(words[start]) or _TITLE.fullmatch(words[start])
    ):
        start += 1
    titles = [word for word in words[:start] if _TITLE.fullmatch(word)]
    return " ".join(words[start:]), titles, start > 0


# Spellings that are not a country's name in either language.
_COUNTRY_ALIASES = {
    "d": "DE",
    "brd": "DE",
    "uk": "GB",
    "england": "GB",
    "great britain": "GB",
    "grossbritannien": "GB",
    "holland": "NL",
    "usa": "US",
    "us": "US",
    "united states": "US",
    "vereinigte staaten": "US",
    "tschechische republik": "CZ",
    "uae": "AE",
    "vae": "AE",
    "suisse": "CH",
    "svizzera": "CH",
}


@cache
def country_names() -> dict[str, str]:
    """Country codes by the names parse_country knows, as countries.country_keys has them:
    the names Silverpool shows, the official ones (“United States of America”) and former
    ones (“Turkey”, “Czech Republic”), in English and German, and their two- and
    three-letter codes."""
    names = {}
    official = list(COUNTRIES.items())
    former = [(code, name) for code, old in Countries.OLD_NAMES.items() for name in old]
    for language in ("en", "de"):
        with translation.override(language):
            for code, name in [*official, *former, *countries]:
                names.update(dict.fromkeys(country_keys(str(name)), code))
    for alias, code in _COUNTRY_ALIASES.items():
        names.update(dict.fromkeys(country_keys(alias), code))
    names.update({code.casefold(): code for code in countries.countries})
    # ISO's three-letter codes too (DEU, AUT, CHE), as HR systems export them.
    names.update(
        {
            alpha3.casefold(): code
            for code in countries.countries
            if (alpha3 := countries.alpha3(code))
        }
    )
    return names


def parse_country(cell: Cell) -> str:
    """A country code from "DE", "DEU", "Deutschland", "Germany", "Österreich", "The
    Netherlands", "Vereinigte Staaten" or "UK"."""
    text = clean_text(cell)
    if not text:
        return ""
    code = country_code(text, country_names())
    if code is None:
        raise _quoted(_("“%(value)s” is not a country we know."), cell)
    return code

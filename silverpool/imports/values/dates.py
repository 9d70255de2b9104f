"""Dates as Excel, Germans and English speakers write them."""

import datetime
import re
from contextlib import suppress

from django.utils import timezone
from django.utils.translation import gettext as _

from ..reading.table import Cell
from .text import clean_text, quoted

# Excel counts days from 1899-12-30. Only serials from 1920 to 2099 are read as dates: 85000
# (a salary in the wrong column) must not become one, nor a bare year (2027), which is
# the year's first day, as "März 2027" is the month's.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_FIRST_SERIAL = (datetime.date(1920, 1, 1) - _EXCEL_EPOCH).days
_LAST_SERIAL = (datetime.date(2099, 12, 31) - _EXCEL_EPOCH).days
_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}")

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
_ISO = re.compile(r"(?P<year>\d{4})([-/])(?P<month>\d{1,2})\2(?P<day>\d{1,2})" + _TIME)
_DOTTED = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})" + _TIME)
_SLASHED = re.compile(r"(?P<first>\d{1,2})[/-](?P<second>\d{1,2})[/-](?P<year>\d{4}|\d{2})" + _TIME)
# 03/2027, 03.2027; 2027-03 as ISO 8601 writes a month.
_MONTH_YEAR = re.compile(
    r"(?P<month>\d{1,2})[./](?P<year>\d{4})|(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})"
)
_ORDINAL = r"(?:st|nd|rd|th)"
# 1. März 2027, 1 March 2027, 1st of March 2027, März 2027.
_NAMED = re.compile(
    rf"(?:(?P<day>\d{{1,2}})(?:\.|{_ORDINAL})?\s*(?:of\s+)?)?(?P<name>[^\W\d_]+)\.?,?\s*"
    r"(?P<year>\d{4})",
    re.IGNORECASE,
)
# March 1, 2027 and March 1st 2027, as Americans write a date.
_NAMED_MONTH_FIRST = re.compile(
    rf"(?P<name>[^\W\d_]+)\.?\s*(?P<day>\d{{1,2}}){_ORDINAL}?,?\s*(?P<year>\d{{4}})",
    re.IGNORECASE,
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
# 2. Halbjahr 2027, H2 2027, second half of 2027: the half year's first day.
_HALF = re.compile(
    r"(?:h\s?(?P<h>[12])|(?P<n>[12])\.?\s*(?:halbjahr|hj)|(?P<word>first|1st|second|2nd)\s+half"
    r"(?:\s+of)?)\s*[/.,]?\s*(?P<year>\d{4}|'?\d{2})",
    re.IGNORECASE,
)
# Frühjahr 2027, summer 2027: the season's first month, as meteorologists count them.
_SEASONS = {
    **dict.fromkeys(("frühjahr", "frühling", "spring"), 3),
    **dict.fromkeys(("sommer", "summer"), 6),
    **dict.fromkeys(("herbst", "autumn", "fall"), 9),
    "winter": 12,
}
# Anfang März 2027, Mitte 03/2027, end of March 2027: the 1st, the 15th, the last day;
# Anfang, Mitte, Ende 2027: 1 January, 1 July, 31 December.
_PART_OF_PERIOD = re.compile(
    r"(?P<part>anfang|beginning of|early|mitte|mid-?|middle of|ende|end of|late)\s*(?P<rest>.+)",
    re.IGNORECASE,
)
# "Verfügbar ab: ab 01.04.2027", "per sofort", "from March 2027", "zum 01.04.2027": the
# words before say nothing the column does not. Nor do "frühestens" and "spätestens": the
# date is the one to plan with.
_FROM = re.compile(
    r"(?:ab(?:\s+dem)?|per|zum|from|as\s+of|frühestens|spätestens|earliest|at\s+the\s+earliest"
    r"|at\s+the\s+latest|by)\s+",
    re.IGNORECASE,
)
# A notice period instead of a date ("3 Monate Kündigungsfrist", "6 Wochen zum
# Quartalsende", "3 months' notice"): from when it runs, the file does not say.
_NOTICE_PERIOD = re.compile(
    r"\b\d+(?:[.,]5)?\s*(?:monat|monate|monaten|mon\.|mo\.|woche|wochen|wo\.|months?|weeks?)"
    r"(?!\w)",
    re.IGNORECASE,
)
_AT_ONCE = {"sofort", "asap", "immediately", "now"}


def _year(text: str) -> int:
    # Two-digit years are this century's: availability dates lie ahead, not in the 1900s.
    text = text.lstrip("'")  # '27
    return 2000 + int(text) if len(text) == 2 else int(text)


def _month(text: str) -> datetime.date | None:
    """The first day of a month written as 03/2027, 03.2027 or "März 2027"."""
    if match := _MONTH_YEAR.fullmatch(text):
        year, month = match["year"] or match["iso_year"], match["month"] or match["iso_month"]
        return datetime.date(int(year), int(month), 1)
    match = _NAMED.fullmatch(text)
    if match and not match["day"] and (month := _MONTHS.get(match["name"].lower())):
        return datetime.date(int(match["year"]), month, 1)
    return None


def _period_start(text: str) -> datetime.date | None:
    """The first day of a year, half year, quarter, season or calendar week, or the day a
    part of a month or year ("Anfang", "Mitte", "Ende") stands for."""
    if _YEAR_ONLY.fullmatch(text):
        return datetime.date(int(text), 1, 1)
    if match := _HALF.fullmatch(text):
        second = (match["h"] or match["n"] or "") == "2" or match["word"] in ("second", "2nd")
        return datetime.date(_year(match["year"]), 7 if second else 1, 1)
    if match := _QUARTER.fullmatch(text):
        quarter = int(match["q"] or match["n"])
        return datetime.date(_year(match["year"]), 3 * quarter - 2, 1)
    if match := _WEEK.fullmatch(text):
        return datetime.date.fromisocalendar(_year(match["year"]), int(match["week"]), 1)
    named = _NAMED.fullmatch(text)
    if named and not named["day"] and (month := _SEASONS.get(named["name"].lower())):
        return datetime.date(int(named["year"]), month, 1)
    if match := _PART_OF_PERIOD.fullmatch(text):
        return _part_of(match["part"].lower(), match["rest"])
    return None


def _part_of(part: str, period: str) -> datetime.date | None:
    """The day "Anfang", "Mitte" or "Ende" (`part`) of a month or a year stands for."""
    early, middle = part in ("anfang", "beginning of", "early"), part.startswith("mi")
    if _YEAR_ONLY.fullmatch(period):
        start = datetime.date(int(period), 1, 1)
        if early:
            return start
        return start.replace(month=7) if middle else start.replace(month=12, day=31)
    month = _month(period)
    if month is None or early:
        return month
    if middle:
        return month.replace(day=15)
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


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
    for named in (_NAMED, _NAMED_MONTH_FIRST):
        if (match := named.fullmatch(text)) and match["name"].lower() in _MONTHS:
            month = _MONTHS[match["name"].lower()]
            return datetime.date(int(match["year"]), month, int(match["day"]))
    return None


def parse_date(cell: Cell) -> datetime.date | None:
    """A date from an Excel date or serial number, 2027-03-01, 01.03.2027, 1.3.27,
    01/03/2027 (day first), "1. März 2027", "1st March 2027", "March 1, 2027"; 03/2027,
    03.2027, 2027-03 or "March 2027" (the 1st);
    "2027", "2. Halbjahr 2027", "Q2 2027", "2. Quartal 2027" or "Frühjahr 2027" (its first
    day), "KW 12/2027" (its Monday), "Anfang", "Mitte" or "Ende März 2027" (the 1st, 15th
    or last), "Anfang", "Mitte" or "Ende 2027" (1 January, 1 July, 31 December);
    "sofort", "ab sofort", "asap", "immediately" or "now" is today (in Silverpool's time
    zone). A leading "ab", "per" or "from" is read past."""
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
            if _YEAR_ONLY.fullmatch(text):
                return datetime.date(int(text), 1, 1)
        elif isinstance(cell, str):
            words = text[match.end() :] if (match := _FROM.match(text)) else text
            if " ".join(words.split()).casefold() in _AT_ONCE:
                return timezone.localdate()
            if date := _date_from_text(words) or _period_start(words):
                return date
    except ValueError:  # a day or month that does not exist, such as 31.02.2027
        pass
    raise quoted(_("“%(value)s” is not a date."), cell)


def is_notice_period(cell: Cell) -> bool:
    """Whether an availability cell states a notice period instead of a date: "3 Monate
    Kündigungsfrist", "in 6 Wochen", "3 months notice"."""
    return type(cell) is str and _NOTICE_PERIOD.search(cell) is not None


# Between a notice period and a date in one cell: "3 Monate, frühestens 01.04.2027".
_BESIDE = re.compile(r"\s*[,;]\s+|\s*;\s*|\s+(?:oder|or|bzw\.?)\s+", re.IGNORECASE)


def notice_off(text: str) -> tuple[str, str]:
    """Of an availability cell that states a notice period beside a date ("3 Monate,
    frühestens 01.04.2027"), the date's part and the notice period ("3 Monate"); (text,
    "") if it states no notice period, or not beside one date."""
    if not is_notice_period(text):
        return text, ""
    parts = [part for part in _BESIDE.split(text) if part]
    dated = []
    for part in parts:
        with suppress(ValueError):
            if parse_date(part) is not None:
                dated.append(part)
    if len(dated) != 1:
        return text, ""
    return dated[0], ", ".join(part for part in parts if part != dated[0])

"""Salaries, currencies, pay periods and numbers."""

import re
from contextlib import suppress
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from silverpool.talents import validation
from silverpool.talents.models import Talent

from ..reading.table import Cell
from .text import clean_text, quoted


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
            r"\b(?:pro|per|im|a|je)?\s*(?:jahr|jährlich|year|yearly|annual|annum)\b|\bp\.?a\b"
            r"|/\s*a\b",
            re.I,
        ),
    ),
]
# Words around an amount that say nothing about it: "ca. 55.000 EUR brutto", "ab 60k".
_NOISE = {
    *("ca", "circa", "etwa", "approx", "about", "around", "ab", "from", "brutto", "bto", "gross"),
    *("mind", "mindestens", "min", "minimum", "at", "least"),
}
# "3.900 € x 13": a month's pay times the salaries of a year, which is what is kept.
_TIMES = re.compile(r"\s*[x×*]\s*(?P<times>1[2-5](?:[.,]5)?)$", re.I)
_THOUSANDS = r"(?:k|tsd|t)"  # 65k, 65 K, 65 Tsd., 65 TEUR
# Spaces only between digits (65 000): "4.500 €, 13" is no 4,500.13.
_AMOUNT = r"\d(?:[\d.,']| (?=\d))*?(?:[.,]-)?"
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
    times = None
    if match := _TIMES.search(text):
        text, times = text[: match.start()], Decimal(match["times"].replace(",", "."))
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
    # "> 60k", "60k+": more is welcome, the figure is the wish.
    match = _SALARY.fullmatch(text.strip(" ./:~≈>≥+"))
    if match is None:
        return None
    high_thousands = thousands or match["high_k"] is not None
    low = _amount(match["low"], high_thousands or match["low_k"] is not None)
    if match["high"] is not None:
        high = _amount(match["high"], high_thousands)
        if low < 1000 <= high and low * 1000 <= high:
            low *= 1000  # "65-70.000": the thousands written once, after the range
        if high < low:
            raise ValueError
    if times is not None:
        return Salary(low * times, currency, Talent.SalaryPeriod.YEAR)
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
        raise quoted(_("“%(value)s” is not a salary."), cell)
    # Not _replace: five times as slow.
    return Salary(salary.amount.quantize(Decimal("0.01")), salary.currency, salary.period)


# Where words about the pay may follow its figure: after a space, or at + , ; &.
_REMARK_START = re.compile(r"\s+|\s*(?=[+,;&])")
_LETTER = re.compile(r"[^\W\d_]")


def salary_remark_off(text: str) -> tuple[str, str]:
    """Of a salary cell with words about the pay after its figure ("65.000 € + Bonus",
    "65k, verhandelbar", "70.000 inkl. Dienstwagen"), the salary ("65.000 €") and the
    words ("+ Bonus"); (text, "") if no part of it is a salary followed by words. The
    longest salary is taken, so that "55.000 USD verhandelbar" keeps its currency."""
    for start in reversed(list(_REMARK_START.finditer(text))):
        value, remark = text[: start.start()].rstrip(), text[start.start() :].strip(" ,;")
        if value.endswith(("+", "&")):
            continue  # "65.000 € + Bonus": the + belongs to the words ("60k+" alone does not)
        with suppress(ValueError):
            if _LETTER.search(remark) and parse_salary(value) is not None:
                return value, remark
    return text, ""


# A figure without a period, as recruiters write a wish: under this, thousands a year
# ("Gehaltswunsch: 65", a column kept in T€); under the next, a month's gross, as Germans
# state it ("4.500", a mini-job's "520"); from there on, a year's ("65.000").
_THOUSANDS_BELOW = Decimal(400)
_MONTHLY_BELOW = Decimal(20_000)


def bare_salary(amount: Decimal) -> tuple[Decimal, Talent.SalaryPeriod]:
    """The amount and period a salary figure without a period stands for: 65 is 65,000 a
    year, 520 and 4,500 a month, 65,000 a year."""
    if amount < _THOUSANDS_BELOW:
        return amount * 1_000, Talent.SalaryPeriod.YEAR
    if amount < _MONTHLY_BELOW:
        return amount, Talent.SalaryPeriod.MONTH
    return amount, Talent.SalaryPeriod.YEAR


def parse_currency(cell: Cell) -> str:
    """A currency code from a column of its own: EUR, €, Euro, usd, $, CHF, Fr."""
    text = clean_text(cell)
    if not text:
        return ""
    code = _CURRENCIES.get(text.lower(), text.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise quoted(_("“%(value)s” is not a currency."), cell)
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
    raise quoted(_("“%(value)s” is not a salary period (per year or per month)."), cell)


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

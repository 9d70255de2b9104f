"""One row of the file, read through the column mapping into a talent's cleaned fields,
or into the reasons it cannot be imported (which columns, why)."""

from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..talents.models import CustomField
from ..talents.validation import clean_talent_fields
from . import values
from .apart import PhoneHint
from .headers import COMBINED, Target, TargetField, names_a_note
from .models import RejectedRow
from .reading import Row
from .reading.table import Cell

# Talent fields taken from a cell as trimmed text.
TEXT_FIELDS = {
    TargetField.POSTCODE,
    TargetField.CITY,
    TargetField.JOB_TITLE,
    TargetField.LINKEDIN_URL,
    TargetField.SOURCE_LABEL,
}
# Fields whose cells may hold words instead of a value ("nach Vereinbarung", "nach
# Absprache"): kept in the note, with no value, instead of rejecting the row.
REMARK_FIELDS = {TargetField.SALARY, TargetField.AVAILABLE_FROM}
# Which column to blame when clean_talent_fields refuses a field.
FIELD_TARGETS = {
    "salary_amount": TargetField.SALARY,
    "salary_currency": TargetField.SALARY,
    "salary_period": TargetField.SALARY,
}


# Where _take leaves the email cell's other addresses and the tags for read(); not talent
# fields.
FURTHER_EMAILS = "further_emails"
TAG_NAMES = "tag_names"


@dataclass
class GoodRow:
    number: int
    fields: dict[str, Any]
    note: str
    cells: list[Cell]
    source_label: str
    # The email cell's other addresses (lower case), which the note lists: a later row
    # with one of them is the same person (RowStream.judge).
    further_emails: tuple[str, ...] = ()
    # The names of the tags the row gives its talent (values.parse_tags).
    tags: tuple[str, ...] = ()


@dataclass
class BadRow:
    number: int
    column: str
    reason: str
    cells: list[str] = field(default_factory=list)


def _labelled(header: str, text: str) -> str:
    """A line of the note about a column: "Gehaltswunsch: nach Vereinbarung"."""
    return f"{header}: {text}" if header else text


# How a field's value and a remark beside it without brackets come apart (value, remark):
# "65.000 € + Bonus", "Deutschland / Remote", "3 Monate, frühestens 01.04.2027".
_REMARKS_BESIDE: dict[TargetField, Callable[[str], tuple[str, str]]] = {
    TargetField.SALARY: values.salary_remark_off,
    TargetField.COUNTRY: values.region_off,
    TargetField.AVAILABLE_FROM: values.notice_off,
}


def _remarked(field: TargetField, cell: Cell, take: Callable[[Cell], None]) -> str:
    """What of a cell that RowReader._take refused goes into the note, its value given to
    `take` if it has one: words instead of a value ("nach Vereinbarung", "Remote"), a
    remark beside the value ("Deutschland (Remote)", and _REMARKS_BESIDE's), a notice
    period instead of a date ("3 Monate Kündigungsfrist"). "" if the cell is a mistake to
    show."""
    if not isinstance(cell, str):
        return ""
    text = values.clean_text(cell)
    if _is_remark(field, cell):
        return text
    value, remark = values.remark_off(text)
    if not remark and (remark_off := _REMARKS_BESIDE.get(field)):
        value, remark = remark_off(text)
    if remark and value:
        # _take refuses a value before it takes any of it.
        with suppress(ValueError):
            take(value)
            return remark
    if field == TargetField.AVAILABLE_FROM and values.is_notice_period(cell):
        return text
    return ""


def _is_remark(field: TargetField, cell: Cell) -> bool:
    """Whether the cell says in words what its field has no value for: "nach Vereinbarung"
    for a salary or a date, "Remote" for a country."""
    if field == TargetField.COUNTRY:
        return values.is_region(cell)
    return field in REMARK_FIELDS and values.is_remark(cell)


def _further_emails(addresses: Sequence[str]) -> str:
    return ngettext(
        "Further email address: %(addresses)s",
        "Further email addresses: %(addresses)s",
        len(addresses),
    ) % {"addresses": ", ".join(addresses)}


def _academic_title(title: str) -> str:
    return _("Academic title: %(title)s") % {"title": title}


def _further_phones(numbers: Sequence[str]) -> str:
    return ngettext(
        "Further phone number: %(numbers)s", "Further phone numbers: %(numbers)s", len(numbers)
    ) % {"numbers": ", ".join(numbers)}


def _further_countries(names: Sequence[str]) -> str:
    return ngettext(
        "Further country: %(countries)s", "Further countries: %(countries)s", len(names)
    ) % {"countries": ", ".join(names)}


def column_headers(headers: Sequence[str], mapping: Sequence[Target]) -> dict[str, str]:
    """The header of the column to blame for each target field (a custom field by its key):
    the first column mapped to it."""
    header_of: dict[str, str] = {}
    for index, target in enumerate(mapping):
        if target.field != TargetField.IGNORE:
            key = target.custom_key if target.field == TargetField.CUSTOM else target.field
            header_of.setdefault(key, headers[index] if index < len(headers) else "")
    for combined, parts in COMBINED.items():
        if combined in header_of:
            # A name split from the full-name column is that column's fault, unless a first
            # or last name column of its own brings it; so are a postcode and a city.
            for part in parts:
                header_of.setdefault(part, header_of[combined])
    return header_of


class RowReader:
    """Reads data rows with one mapping: `read(row)` gives a GoodRow or a BadRow."""

    def __init__(
        self,
        headers: Sequence[str],
        mapping: Sequence[Target],
        *,
        default_country: str,
        source_label: str,
        custom_fields: Mapping[str, CustomField],
        known_emails: Callable[[list[str]], set[str]] | None = None,
    ) -> None:
        """`known_emails` gives those of some addresses (lower case) that talents have: a
        cell with several addresses is then the talent's who has one of them."""
        self.headers = list(headers)
        self.known_emails = known_emails
        self.columns = [
            (index, target) for index, target in enumerate(mapping) if target.field != "ignore"
        ]
        self.default_country = default_country
        self.source_label = source_label
        self.custom_fields = custom_fields
        self.header_of = column_headers(self.headers, mapping)
        # What a note column's text starts with: its header, unless that names a note
        # already; "3 Monate" or "blau" alone would not say what they are.
        self.note_labels = {
            index: "" if not header or names_a_note(header) else f"{header}: "
            for index, target in self.columns
            if target.field == TargetField.NOTE
            for header in [self._header(index)]
        }
        # Where each header's column is (the first of that name), to list a row's problems
        # in the file's order.
        self.position: dict[str, int] = {}
        for index, header in enumerate(self.headers):
            self.position.setdefault(header, index)

    def _header(self, index: int) -> str:
        return self.headers[index] if index < len(self.headers) else ""

    def read(self, row: Row, phone_hint: PhoneHint = None) -> GoodRow | BadRow:
        """`phone_hint`: the row's phone number as the reading process read it and the
        country it read it for (apart.py), taken if the row's country is that one. A row
        with several problems is rejected naming all of them, so that one round of fixing
        the file is enough."""
        cells = row.cells
        raw: dict[str, Any] = {}
        custom: dict[str, Any] = {}
        notes: list[str] = []
        urls: list[str] = []
        problems: list[tuple[str, str]] = []  # (header, reason)
        phone: Cell = None
        phone_header = ""
        unknown_country = False
        for index, target in self.columns:
            cell = cells[index] if index < len(cells) else None
            if cell is None or cell == "" or values.is_no_value(cell):
                continue
            if target.field == TargetField.NOTE:
                if text := values.note_text(cell):
                    notes.append(self.note_labels[index] + text)
                continue
            try:
                self._take(target, cell, raw, custom, urls, notes)
            except ValueError as error:
                take = partial(self._take, target, raw=raw, custom=custom, urls=urls, notes=notes)
                if remark := _remarked(target.field, cell, take):
                    notes.append(_labelled(self._header(index), remark))
                    continue
                problems.append((self._header(index), str(error)))
                if target.field == TargetField.COUNTRY:
                    unknown_country = True
                continue
            if target.field == TargetField.PHONE:
                phone, phone_header = cell, self._header(index)
        region = raw.get("country") or self.default_country
        phone_number = None
        # Without the row's country a number without +code cannot be judged.
        if phone is not None and not unknown_country:
            # Read after the country column: a number without +code is from that country.
            # parse_phone applies the rule of clean_talent_fields, which it skips (the
            # number would be parsed twice, the slowest step of reading a row).
            read = phone_hint[1] if phone_hint is not None and phone_hint[0] == region else None
            try:
                phone_number = values.parse_phone(phone, region, read)
            except ValueError as error:
                problems.append((phone_header, str(error)))
            if phone_number is not None and phone_number.remark:
                notes.append(_labelled(phone_header, phone_number.remark))
            if phone_number is not None and phone_number.further:
                notes.append(_further_phones(phone_number.further))
        if postcode := raw.get("postcode"):
            # Without a country of its own the talent is in the one their number's code
            # states: "1010 Wien" with +43 660 … is Vienna's postcode, not 01010.
            if not raw.get("country") and phone_number is not None:
                region = values.region_of(phone_number.number, region)
            raw["postcode"] = values.postcode_of(postcode, region)
        if "salary_amount" in raw and "salary_period" not in raw:
            # Neither the cell nor a column of its own said the period: the figure does.
            raw["salary_amount"], raw["salary_period"] = values.bare_salary(raw["salary_amount"])
        if urls:
            raw["profile_urls"] = urls
        if custom:
            raw["custom_values"] = custom
        if not raw.get("email"):
            problems.append(
                (
                    self.header_of.get(TargetField.EMAIL, ""),
                    _("No email address: without one the talent could not be recognised again."),
                )
            )
        # Where the talent came from before the file ("LinkedIn", "Messe") goes with the file.
        label = raw.pop("source_label", "")
        further_emails = raw.pop(FURTHER_EMAILS, ())
        tags = raw.pop(TAG_NAMES, ())
        source_label = f"{self.source_label} ({label})"[:200] if label else self.source_label
        try:
            fields = clean_talent_fields(raw, partial=False, custom_fields=self.custom_fields)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                reason = " ".join(messages)
                if name == "email":
                    # The validator's message does not say which address, as the date,
                    # salary and phone reasons say which value.
                    reason = _("“%(value)s”: %(reason)s") % {"value": raw[name], "reason": reason}
                problems.append((self._blame(name, raw), reason))
        if problems:
            return self._bad(row, problems)
        if phone_number is not None:
            fields["phone"] = phone_number.number
        note = "\n".join(notes)
        return GoodRow(row.number, fields, note, cells, source_label, further_emails, tags)

    def _take(
        self,
        target: Target,
        cell: Cell,
        raw: dict[str, Any],
        custom: dict[str, Any],
        urls: list[str],
        notes: list[str],
    ) -> None:
        """Put the cell's value where `target` says; what the talent's fields do not hold
        goes into `notes`, so that nothing of the cell is lost."""
        kind = target.field
        if kind in TEXT_FIELDS:
            raw[kind.value] = values.clean_text(cell)
        elif kind in (TargetField.FIRST_NAME, TargetField.LAST_NAME):
            raw[kind.value], title = values.name_part(cell)
            if title:
                notes.append(_academic_title(title))
        elif kind == TargetField.EMAIL:
            email, others = values.parse_emails(cell)
            if others:
                email, others = self._recognised(email, others)
                notes.append(_further_emails(others))
                raw[FURTHER_EMAILS] = tuple(address.lower() for address in others)
            raw["email"] = email
        elif kind == TargetField.FULL_NAME:
            name = values.split_full_name(cell)
            raw.setdefault("first_name", name.first)
            raw.setdefault("last_name", name.last)
            if name.title:
                notes.append(_academic_title(name.title))
        elif kind == TargetField.POSTCODE_CITY:
            postcode, city = values.split_postcode_city(values.clean_text(cell))
            if postcode:
                raw["postcode"] = postcode
            if city:
                raw["city"] = city
        elif kind == TargetField.PHONE:
            pass  # read last, see read()
        elif kind == TargetField.COUNTRY:
            raw["country"], others = values.parse_countries(cell)
            if others:
                notes.append(_further_countries(others))
        elif kind == TargetField.TAGS:
            raw[TAG_NAMES] = values.parse_tags(cell)
        elif kind == TargetField.SKILLS:
            raw["skills"] = values.clean_text(cell)  # split by clean_talent_fields
        elif kind == TargetField.PROFILE_URLS:
            urls.extend(values.clean_text(cell).split())
        elif kind == TargetField.SALARY:
            salary = values.parse_salary(cell)
            if salary is not None:
                raw["salary_amount"] = salary.amount
                # A currency or period column of its own wins, whichever comes first.
                raw.setdefault("salary_currency", salary.currency)
                if salary.period is not None:
                    raw.setdefault("salary_period", salary.period)
        elif kind == TargetField.SALARY_CURRENCY:
            if currency := values.parse_currency(cell):
                raw["salary_currency"] = currency
        elif kind == TargetField.SALARY_PERIOD:
            if period := values.parse_salary_period(cell):
                raw["salary_period"] = period
        elif kind == TargetField.AVAILABLE_FROM:
            raw["available_from"] = values.parse_date(cell)
        elif kind == TargetField.CUSTOM:
            custom[target.custom_key] = self._custom_value(target.custom_key, cell)

    def _recognised(self, first: str, others: list[str]) -> tuple[str, list[str]]:
        """The address of a cell with several that the talent is recognised by, and the
        others: the first, unless only another one belongs to a talent already (the same
        email never makes a second profile)."""
        if self.known_emails is None:
            return first, others
        known = self.known_emails([address.lower() for address in (first, *others)])
        if first.lower() in known:
            return first, others
        taken = next((address for address in others if address.lower() in known), None)
        if taken is None:
            return first, others
        return taken, [first, *(address for address in others if address != taken)]

    def _custom_value(self, key: str, cell: Cell) -> Any:
        custom_field = self.custom_fields.get(key)
        if custom_field is not None and custom_field.kind == CustomField.Kind.DATE:
            date = values.parse_date(cell)
            return date.isoformat() if date else ""
        if custom_field is not None and custom_field.kind == CustomField.Kind.NUMBER:
            return values.parse_number(cell)
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return cell
        return values.clean_text(cell)

    def _blame(self, name: str, raw: dict[str, Any]) -> str:
        if name == "custom_values":
            # The message names the field, not the column: find the value that fails alone.
            for key, value in raw["custom_values"].items():
                try:
                    clean_talent_fields(
                        {name: {key: value}}, partial=True, custom_fields=self.custom_fields
                    )
                except ValidationError:
                    return self.header_of.get(key, "")
            return ""
        return self.header_of.get(FIELD_TARGETS.get(name, name), "")

    def _bad(self, row: Row, problems: list[tuple[str, str]]) -> BadRow:
        """The row rejected for its problems, in the order of their columns; each reason
        after its column's header when there are several."""
        problems.sort(key=lambda problem: self.position.get(problem[0], len(self.headers)))
        if len(problems) == 1:
            column, reason = problems[0]
        else:
            column = ", ".join(dict.fromkeys(header for header, _reason in problems if header))
            reason = " ".join(
                f"{header}: {reason}" if header else reason for header, reason in problems
            )
        cells = [values.clean_text(c) for c in row.cells]
        return BadRow(row.number, column[: RejectedRow.column.field.max_length], reason, cells)

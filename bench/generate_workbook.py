"""Write realistic, messy candidate workbooks (xlsx) for the import benchmark.

    .venv/bin/python -m bench.generate_workbook                      # 10,000 and 100,000 rows
    .venv/bin/python -m bench.generate_workbook --rows 10000 --language en
    .venv/bin/python -m bench.generate_workbook --existing-from postgres

Fifteen columns as a recruiter's spreadsheet has them: a title row above the header, some
blank rows, phone numbers, postcodes, salaries and dates written five different ways, the
same person twice with different capitalisation, and a few invalid rows (a bad email, an
impossible date). Names, cities, titles and skills come from bench/vocabulary.py and
Faker's name lists through the talent generator's TalentMaker, so the words are the ones
the search benchmark uses. `--existing-from postgres` makes about 10 % of the rows people
already in the bench database (their email, in whatever case). Deterministic for a seed.
"""

import argparse
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from . import vocabulary as vocab
from .databases import OUT_DIR, database_url
from .generate_talents import PHONE_PREFIXES, UMLAUTS, Catalog, TalentMaker

SIZES = (10_000, 100_000)
HEADERS = {
    "de": (
        "Vorname",
        "Nachname",
        "E-Mail",
        "Telefon/Mobil",
        "PLZ",
        "Ort",
        "Land",
        "Position",
        "Kenntnisse",
        "Gehaltswunsch",
        "Verfügbar ab",
        "Quelle",
        "LinkedIn",
        "Bemerkung",
        "Kündigungsfrist",
    ),
    "en": (
        "First name",
        "Last name",
        "Email",
        "Phone/Mobile",
        "Postcode",
        "City",
        "Country",
        "Position",
        "Skills",
        "Desired salary",
        "Available from",
        "Source",
        "LinkedIn",
        "Notes",
        "Notice period",
    ),
}
COUNTRY_NAMES = {
    "DE": ("Deutschland", "DE", "Germany", "deutschland", "D"),
    "AT": ("Österreich", "AT", "Austria", "Oesterreich"),
    "CH": ("Schweiz", "CH", "Switzerland"),
    "GB": ("UK", "United Kingdom", "GB", "Großbritannien", "England"),
    "NL": ("Niederlande", "NL", "Netherlands", "Holland"),
}
NOTES = (
    "",
    "",
    "",
    "Rückruf erbeten",
    "sehr guter Eindruck im Erstgespräch",
    "nur remote",
    "Teilzeit möglich",
    "met at meetup, strong Python",
    "Relocation OK",
    "nicht vor Q2 ansprechen",
    "Empfehlung von M. Weber",
    "hat Gegenangebot erhalten",
)
NOTICE = ("", "3 Monate", "6 Wochen", "1 Monat zum Monatsende", "keine", "3 months", "sofort")
BAD_EMAILS = ("{local}@", "{local} at gmail.com", "{local}@@web.de", "{local}@gmx", "@{domain}")
BAD_DATES = ("31.02.2027", "2027-13-01", "32.01.2027", "00.00.0000")


def workbook_path(
    rows: int, language: str = "de", *, existing: bool = False, title: bool = True
) -> Path:
    suffix = ("-existing" if existing else "") + ("" if title else "-notitle")
    return OUT_DIR / f"candidates-{rows // 1000}k-{language}{suffix}.xlsx"


def existing_people(limit: int, seed: int) -> list[tuple[str, str, str]]:
    """(first name, last name, email) of talents with an email in the bench database."""
    import psycopg

    with psycopg.connect(database_url("postgres")) as conn:
        total = conn.execute("SELECT count(*) FROM talents_talent").fetchone()
        step = max(1, (total[0] if total else 0) // max(limit, 1) // 2)
        people = conn.execute(
            "SELECT first_name, last_name, email FROM talents_talent"
            " WHERE email <> '' AND id %% %s = %s ORDER BY id LIMIT %s",
            [step, seed % step, limit],
        ).fetchall()
    return [(f, last, e) for f, last, e in people]


class RowMaker:
    """Makes one spreadsheet row at a time, in the forms people type things in."""

    def __init__(self, seed: int, existing: list[tuple[str, str, str]]) -> None:
        # TalentMaker needs ids for statuses and recruiters; the workbook shows none of them.
        catalog = Catalog(
            statuses={key: i for i, (key, _) in enumerate(vocab.STATUSES, 1)},
            pools=[],
            tags=[],
            recruiters=[(i, f"{f} {last}") for i, (f, last) in enumerate(vocab.RECRUITERS, 1)],
        )
        self.maker = TalentMaker(catalog, seed, datetime(2026, 11, 26, tzinfo=UTC))
        self.rng = self.maker.rng
        self.existing = existing
        self.earlier: list[list[Any]] = []
        self.emails: set[str] = set()

    def salary(self, low: int, high: int) -> Any:
        rng = self.rng
        amount = round(rng.uniform(low, high), -3)
        return rng.choice(
            (
                f"{amount:,.0f} €".replace(",", "."),
                f"{amount // 1000:.0f}k",
                f"ca. {amount:,.0f} EUR".replace(",", "."),
                int(amount),
                f"{amount // 1000:.0f}-{amount // 1000 + 10:.0f}k",
                f"{amount:.0f}",
            )
        )

    def available(self) -> Any:
        rng = self.rng
        day = date(2026, 11, 26) + timedelta(days=rng.randint(0, 240))
        kind = rng.random()
        if kind < 0.45:
            return day  # an Excel date cell
        if kind < 0.8:
            return day.strftime("%d.%m.%Y")
        if kind < 0.9:
            return day.strftime("%m/%Y")
        return rng.choice(("sofort", "ab sofort", "nach Absprache", "asap"))

    def phone(self, country: str) -> str:
        rng = self.rng
        number = rng.choice(PHONE_PREFIXES[country]) + str(rng.randint(1_000_000, 99_999_999))
        style = rng.random()
        if style < 0.4:
            return number
        national = "0" + number[3:]
        if style < 0.7:
            return f"{national[:4]}/{national[4:]}"
        if style < 0.85:
            return f"{number[:3]} {number[3:6]} {number[6:]}"
        return f"{number[:3]} (0){number[3:6]}-{number[6:]}"

    def person(self) -> tuple[str, str, str]:
        maker, rng = self.maker, self.rng
        if self.existing and rng.random() < 0.1:
            first, last, email = rng.choice(self.existing)
            return first, last, email.upper() if rng.random() < 0.2 else email
        first, last = maker.person()
        return first, last, self.email(first, last)

    def email(self, first: str, last: str) -> str:
        """An address in forms the talent generator never makes, so only --existing-from
        puts people of the bench database into the file."""
        rng = self.rng
        if rng.random() < 0.05:
            return ""
        f, last_ascii = first.lower().translate(UMLAUTS), last.lower().translate(UMLAUTS)
        local = rng.choice((f"{f}_{last_ascii}", f"{last_ascii}.{f}", f"{f[0]}{last_ascii}"))
        email = f"{local}@{self.maker.domain()}"
        while email in self.emails:
            email = f"{local}.{rng.randint(10, 99)}@{self.maker.domain()}"
        self.emails.add(email)
        return email

    def row(self) -> list[Any]:
        maker, rng = self.maker, self.rng
        if self.earlier and rng.random() < 0.01:
            # The same person again, typed by someone else.
            again = list(rng.choice(self.earlier))
            again[0], again[1] = again[0].upper(), again[1].lower()
            again[2] = again[2].upper() if isinstance(again[2], str) else again[2]
            return again
        field = maker.field()
        first, last, email = self.person()
        city, country, zip_prefix, _ = maker.city()
        postcode: Any = ""
        if zip_prefix:
            digits = 5 if country == "DE" else 4
            postcode = zip_prefix + "".join(rng.choices("0123456789", k=digits - len(zip_prefix)))
            if rng.random() < 0.3:
                postcode = int(postcode)  # typed as a number: "01069" becomes 1069
        skills = list(dict.fromkeys(maker.skills[field.name].many(rng.randint(2, 8))))
        skills += list(dict.fromkeys(maker.general.many(rng.randint(0, 3))))
        _, _, labels = maker.source()
        linkedin = ""
        if rng.random() < 0.5:
            # LinkedIn makes each profile's address unique (a suffix where the name is
            # taken): two rows with one address are one person.
            slug = f"{first}-{last}".lower().replace(" ", "") + f"-{rng.getrandbits(24):06x}"
            linkedin = rng.choice(
                (
                    f"https://www.linkedin.com/in/{slug}",
                    f"linkedin.com/in/{slug}",
                    f"https://de.linkedin.com/in/{slug}/",
                )
            )
        row: list[Any] = [
            first if rng.random() < 0.97 else f" {first} ",
            last,
            email,
            self.phone(country) if rng.random() < 0.7 else "",
            postcode,
            city,
            rng.choice(COUNTRY_NAMES[country]) if rng.random() < 0.85 else "",
            maker.titles[field.name]() if rng.random() < 0.93 else "",
            rng.choice((", ", "; ", ",", " / ", "\n")).join(skills),
            self.salary(*field.salary) if rng.random() < 0.6 else "",
            self.available() if rng.random() < 0.4 else "",
            rng.choice(labels) if labels else rng.choice(("LinkedIn", "XING", "Messe", "")),
            linkedin,
            rng.choice(NOTES),
            rng.choice(NOTICE),
        ]
        chance = rng.random()
        if chance < 0.002 and email:
            local, _, domain = email.partition("@")
            row[2] = rng.choice(BAD_EMAILS).format(local=local, domain=domain)
        elif chance < 0.004:
            row[10] = rng.choice(BAD_DATES)
        if len(self.earlier) < 5_000:
            self.earlier.append(row)
        return row

    def rows(self, n: int) -> Iterator[list[Any]]:
        """n data rows, with a blank row now and then (blank rows are not counted)."""
        for _ in range(n):
            if self.rng.random() < 0.005:
                yield []
            yield self.row()


def write_workbook(
    path: Path,
    rows: int,
    *,
    seed: int = 2026,
    language: str = "de",
    existing_from: str = "",
    title: bool = True,
) -> Path:
    """Write `rows` candidate rows (plus title, header and blank rows) to `path`.

    `title=False` leaves out the title row and nothing else: the same rows for a tool that
    takes the first row for the header.
    """
    existing = existing_people(rows // 5, seed) if existing_from == "postgres" else []
    maker = RowMaker(seed, existing)
    book = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = book.create_sheet("Kandidaten" if language == "de" else "Talent")
    if title:
        sheet.append(
            [f"Kandidatenliste – Export vom 26.11.2026 ({rows:,} Einträge)".replace(",", ".")]
        )
    sheet.append(list(HEADERS[language]))
    for row in maker.rows(rows):
        value = row[10] if row else None
        if isinstance(value, date):
            cell = WriteOnlyCell(sheet, value)
            cell.number_format = "DD.MM.YYYY"
            row = [*row[:10], cell, *row[11:]]
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, action="append", help="default: 10000 and 100000")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--language", choices=sorted(HEADERS), default="de")
    parser.add_argument(
        "--existing-from",
        choices=["postgres"],
        default="",
        help="make about 10 %% of the rows talents already in the bench database",
    )
    args = parser.parse_args()
    for rows in args.rows or SIZES:
        path = workbook_path(rows, args.language, existing=bool(args.existing_from))
        write_workbook(
            path, rows, seed=args.seed, language=args.language, existing_from=args.existing_from
        )
        print(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


if __name__ == "__main__":
    main()

"""Reading uploads into rows: every format by its content, and every hostile file refused."""

import datetime
import io
import os
import tracemalloc
import zipfile
from itertools import islice
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
from django.utils import translation
from msoffcrypto.format.ooxml import OOXMLFile
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table as OdfTable
from odf.table import TableCell, TableRow
from odf.text import P

from silverpool.imports.checks import check_defusedxml
from silverpool.imports.reading import (
    Cell,
    Row,
    TooManyRows,
    UnreadableFile,
    open_table,
    workbook,
)

from .workbooks import xls

NOT_A_SPREADSHEET = "This is not a spreadsheet (Excel, OpenDocument or CSV)."
PASSWORD = "This workbook is password-protected; save it without a password and upload it again."
EMPTY = "The file is empty."
CORRUPT = "The file is damaged and cannot be read; open it, save it again and upload it again."


def write(tmp_path: Path, content: bytes, name: str = "upload") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def read_all(path: Path, max_rows: int) -> list[Row]:
    return list(open_table(path, filename="Talente.xlsx", max_rows=max_rows).rows())


def refusal(path: Path, max_rows: int = 1000) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_all(path, max_rows)
    return str(caught.value)


def candidates_workbook(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = "Deckblatt"
    cover["A1"] = "Bewerberliste Vertrieb – bitte nicht weitergeben"
    cover["A3"] = "Stand: März 2026"
    sheet = workbook.create_sheet("Kandidaten")
    sheet.append(["Kandidaten Vertrieb 2026"])
    sheet.append([])
    sheet.append(["Vorname", " Nachname ", "E-Mail", "Verfügbar ab", "Gehaltswunsch", "Remote"])
    sheet.append(["Anna", "Müller", "anna@example.com", datetime.date(2027, 3, 1), 65000, True])
    sheet.append([])
    sheet.append(["Jörg", "Weiß", "joerg@example.com", "01.03.2027", "65.000 €", False])
    # Saved under a misleading name: the content decides.
    path = tmp_path / "export.csv"
    workbook.save(path)
    return path


def test_a_workbook_skips_its_cover_page_and_keeps_excel_row_numbers(tmp_path: Path) -> None:
    table = open_table(candidates_workbook(tmp_path), filename="export.csv", max_rows=1000)

    rows = list(table.rows())

    assert table.sheets == ["Deckblatt", "Kandidaten"]
    assert table.default_sheet == "Kandidaten"
    assert rows == [
        Row(1, ["Kandidaten Vertrieb 2026", None, None, None, None, None]),
        Row(3, ["Vorname", "Nachname", "E-Mail", "Verfügbar ab", "Gehaltswunsch", "Remote"]),
        Row(4, ["Anna", "Müller", "anna@example.com", datetime.date(2027, 3, 1), 65000, True]),
        Row(6, ["Jörg", "Weiß", "joerg@example.com", "01.03.2027", "65.000 €", False]),
    ]
    assert type(rows[2].cells[4]) is int


def test_an_excel_97_2003_workbook_reads_like_an_xlsx(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [
        [],
        ["Vorname", "Nachname", "PLZ", "Verfügbar ab", "Gehaltswunsch"],
        ["Jürgen", "Weiß", 1069, datetime.date(2027, 3, 1), 65000],
    ]
    path = xls(tmp_path / "export.xls", rows, headers=["Bewerberliste 2026"])

    table = open_table(path, filename="export.xls", max_rows=1000)

    assert table.sheets == ["Talente"]
    assert list(table.rows()) == [
        Row(1, ["Bewerberliste 2026", None, None, None, None]),
        Row(3, ["Vorname", "Nachname", "PLZ", "Verfügbar ab", "Gehaltswunsch"]),
        Row(4, ["Jürgen", "Weiß", 1069, datetime.date(2027, 3, 1), 65000]),
    ]


class CountingWorkbook:
    """calamine's workbook, counting the sheets it loads (each load reads a sheet whole)."""

    loads: list[str] = []

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.sheet_names = workbook.sheet_names

    @classmethod
    def from_path(cls, path: Path) -> "CountingWorkbook":
        return cls(python_calamine.CalamineWorkbook.from_path(path))

    def get_sheet_by_name(self, name: str) -> Any:
        self.loads.append(name)
        return self.workbook.get_sheet_by_name(name)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the sheets calamine loads, in order."""
    monkeypatch.setattr(workbook, "CalamineWorkbook", CountingWorkbook)
    monkeypatch.setattr(CountingWorkbook, "loads", [])
    return CountingWorkbook.loads


def test_each_sheet_is_loaded_once_to_choose_it_and_read_it_again(
    tmp_path: Path, loads: list[str]
) -> None:
    table = open_table(candidates_workbook(tmp_path), filename="k.xlsx", max_rows=1000)

    first = list(islice(table.rows(), 2))
    every = list(table.rows())

    assert every[:2] == first
    assert [row.number for row in every] == [1, 3, 4, 6]
    assert loads == ["Deckblatt", "Kandidaten"]


def test_a_sheet_asked_for_by_name_is_the_only_one_loaded(tmp_path: Path, loads: list[str]) -> None:
    table = open_table(candidates_workbook(tmp_path), filename="k.xlsx", max_rows=1000)

    rows = list(table.rows("Kandidaten"))

    assert len(rows) == 4
    assert loads == ["Kandidaten"]


def test_another_sheet_can_be_read_by_name(tmp_path: Path) -> None:
    table = open_table(candidates_workbook(tmp_path), filename="k.xlsx", max_rows=1000)

    rows = list(table.rows("Deckblatt"))

    assert [row.number for row in rows] == [1, 3]


def test_a_sheets_last_row_is_known_before_its_rows_are_read(
    tmp_path: Path, loads: list[str]
) -> None:
    table = open_table(candidates_workbook(tmp_path), filename="k.xlsx", max_rows=1000)

    assert (table.last_row("Kandidaten"), table.last_row("Deckblatt")) == (6, 3)
    assert loads == ["Kandidaten", "Deckblatt"]


def test_an_opendocument_spreadsheet_is_read(tmp_path: Path) -> None:
    document = OpenDocumentSpreadsheet()
    sheet = OdfTable(name="Talente")
    for values in (["Vorname", "Verfügbar ab"], ["Anna", datetime.date(2027, 3, 1)]):
        row = TableRow()
        for value in values:
            if isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    path = tmp_path / "talente"
    document.save(str(path))

    table = open_table(path, filename="talente.ods", max_rows=1000)

    assert table.sheets == ["Talente"]
    assert list(table.rows()) == [
        Row(1, ["Vorname", "Verfügbar ab"]),
        Row(2, ["Anna", datetime.date(2027, 3, 1)]),
    ]
    assert table.last_row("Talente") == 2


def test_a_german_excel_csv_in_windows_1252_with_semicolons(tmp_path: Path) -> None:
    content = (
        "Talentliste;;\r\n"
        "Nachname;Ort;Gehaltswunsch\r\n"
        ";;\r\n"
        "Müller;München;65.000 €\r\n"
        "Weiß;Köln;ca. 55.000 EUR\r\n"
    ).encode("cp1252")

    table = open_table(write(tmp_path, content), filename="Talente.csv", max_rows=1000)

    assert table.sheets == ["Talente"]
    assert list(table.rows()) == [
        Row(1, ["Talentliste", None, None]),
        Row(2, ["Nachname", "Ort", "Gehaltswunsch"]),
        Row(4, ["Müller", "München", "65.000 €"]),
        Row(5, ["Weiß", "Köln", "ca. 55.000 EUR"]),
    ]
    assert table.last_row("Talente") == 5


@pytest.mark.parametrize(
    ("lines", "encoding"),
    [
        # Two letters beyond ASCII: charset-normalizer alone read Mac Icelandic "Weiþ" and
        # "65.000 Ä" here.
        (["Nachname;Gehaltswunsch", "Weiß;65.000 €"], "cp1252"),
        # € the only byte beyond ASCII: Mac Roman reads "65.000 Ä".
        (["Nachname;Gehaltswunsch", "Weber;65.000 €", "Bauer;€ 58.000"], "cp1252"),
        (["Name;Ort;Gehalt", "Müller;Köln;65.000 €"], "mac_roman"),
        (["Name;Gehalt", "Weber;65.000 €"], "mac_roman"),  # its last byte begins UTF-8's €
        (["Name;Bemerkung", "Müller;„Top-Kandidat“ – sofort verfügbar"], "cp1252"),
        (["Name;Bemerkung", "WEIß;“Top” candidate"], "mac_roman"),
        # Read as Ukrainian "65.000 А", Korean and Urdu by the guess alone.
        (["Nachname;Gehalt", "Weber;65.000 €"], "cp1252"),
        (["Vorname;Nachname", "José;García"], "cp1252"),
        (["Name", "Søren Ærø"], "cp1252"),
        (["Nom;Ville", "Lefèvre;Besançon", "Ibáñez;Málaga"], "cp1252"),
        (["Name;Ort", "Müller;Köln"], "mac_roman"),  # Excel for Mac's "CSV (Macintosh)"
        (["Vorname;Nachname;Ort", "Olga;Andersson;Borlänge"], "mac_roman"),  # not "Borlènge"
        (["Imię;Miasto", "Łukasz Wójcik;Łódź"], "cp1250"),
        (["Imię;Nazwisko", "Łukasz;Wiśniewski"], "cp1250"),  # not French "Wiœniewski"
        (["Jméno;Obec", "Vítězslav Marková;Krásné Údolí"], "cp1250"),  # not "Vítìzslav"
        (["Név;Település", "Erzsébet Kiss;Borsodfürdő"], "cp1250"),  # not "Borsodfürdõ"
        (["Name;Ort", "Zoë Müller;Zürich"], "cp850"),  # DOS
        (["Имя;Город", "Александр Иванов;Москва", "Мария Петрова;Казань"], "cp1251"),
        (["Όνομα;Πόλη", "Γιώργος Παπαδόπουλος;Αθήνα"], "cp1253"),
    ],
)
def test_a_short_file_in_an_old_encoding_reads_as_written(
    tmp_path: Path, lines: list[str], encoding: str
) -> None:
    content = "\r\n".join(lines).encode(encoding)

    rows = list(open_table(write(tmp_path, content), filename="t.csv", max_rows=10).rows())

    assert [row.cells for row in rows] == [line.split(";") for line in lines]


def test_an_encoding_chosen_overrides_the_one_recognised(tmp_path: Path) -> None:
    # Polish "ę" in Windows-1250 is French "ê" in Windows-1252.
    content = "Imię;Nazwisko\r\nJędrzej;Pędrak\r\n".encode("cp1250")
    path = write(tmp_path, content)
    recognised = open_table(path, filename="t.csv", max_rows=10)

    chosen = open_table(path, filename="t.csv", max_rows=10, encoding="cp1250")

    assert (recognised.encoding, list(recognised.rows())[1].cells) == (
        "cp1252",
        ["Jêdrzej", "Pêdrak"],
    )
    assert (chosen.encoding, list(chosen.rows())[1].cells) == ("cp1250", ["Jędrzej", "Pędrak"])


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("Name;Ort\r\nMüller;Köln\r\n".encode("cp1252"), "utf-8"),  # "ü" is no UTF-8
        (b"Name;Ort\r\nM\x81ller;K\x94ln\r\n", "cp1252"),  # DOS: 0x81 is no Windows-1252
        ("Name;Ort\r\nMüller;Köln\r\n".encode("cp1252"), "utf-16"),  # no UTF-16 text
    ],
)
def test_an_encoding_chosen_that_the_file_is_not_in_is_refused_saying_so(
    tmp_path: Path, content: bytes, encoding: str
) -> None:
    with pytest.raises(UnreadableFile) as refused:
        list(
            open_table(
                write(tmp_path, content), filename="t.csv", max_rows=10, encoding=encoding
            ).rows()
        )

    assert str(refused.value) == (
        "The file holds characters the chosen text encoding does not have; choose another one."
    )


def test_a_utf16_tsv_as_excel_saves_unicode_text(tmp_path: Path) -> None:
    content = "Vorname\tStadt\r\nZoë\tZürich\r\n".encode("utf-16")

    table = open_table(write(tmp_path, content), filename="t.txt", max_rows=1000)

    assert list(table.rows()) == [Row(1, ["Vorname", "Stadt"]), Row(2, ["Zoë", "Zürich"])]
    assert table.last_row("t") == 2


def test_a_utf8_csv_with_bom_and_a_quoted_field_across_lines(tmp_path: Path) -> None:
    content = '\ufeffName,Bemerkung\n"Anna","Sehr gut,\nbitte anrufen"\nBob, \n'.encode()

    table = open_table(write(tmp_path, content), filename="t.csv", max_rows=1000)

    assert list(table.rows()) == [
        Row(1, ["Name", "Bemerkung"]),
        Row(2, ["Anna", "Sehr gut,\nbitte anrufen"]),
        Row(4, ["Bob", None]),
    ]
    assert table.last_row("t") == 4


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_the_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    lines = [delimiter.join(["Name", "Skills", "Ort"]), delimiter.join(["Anna", "SQL", "Köln"])]
    content = "\n".join(lines).encode()

    table = open_table(write(tmp_path, content), filename="t.csv", max_rows=1000)

    assert list(table.rows())[1].cells == ["Anna", "SQL", "Köln"]
    assert table.last_row("t") == 2  # the last line has no line break


def test_more_rows_than_the_limit_are_refused_naming_the_limit(tmp_path: Path) -> None:
    content = "".join(f"talent{n}@example.com;{n}\n" for n in range(1001)).encode()
    table = open_table(write(tmp_path, content), filename="t.csv", max_rows=1000)

    with pytest.raises(TooManyRows) as caught:
        list(table.rows())

    assert str(caught.value) == "The file has more than 1,000 rows; split it into smaller files."
    with translation.override("de"):
        assert "mehr als 1.000 Zeilen" in str(caught.value)


def test_exactly_the_limit_is_read(tmp_path: Path) -> None:
    content = "".join(f"talent{n}@example.com;{n}\n" for n in range(1000)).encode()

    table = open_table(write(tmp_path, content), filename="t.csv", max_rows=1000)

    assert len(list(table.rows())) == 1000


def test_a_workbook_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for n in range(20):
        sheet.append([f"talent{n}@example.com", n])
    workbook.save(tmp_path / "many.xlsx")

    assert "more than 10 rows" in refusal(tmp_path / "many.xlsx", max_rows=10)


def zip_of(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "upload.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    bomb = zip_of(
        tmp_path,
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": bytes(50 * 1024**2)},
    )

    assert "possible zip bomb" in refusal(bomb)


def test_a_workbook_unpacking_to_more_than_the_limit_is_refused(
    tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1
    big = zip_of(
        tmp_path,
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": os.urandom(2 * 1024**2)},
    )

    assert refusal(big) == ("The workbook unpacks to more than 1 MB; split it into smaller files.")


def test_a_zip_that_is_no_spreadsheet_is_refused(tmp_path: Path) -> None:
    document = zip_of(tmp_path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"x"})

    assert refusal(document) == NOT_A_SPREADSHEET


def test_an_opendocument_text_is_no_spreadsheet(tmp_path: Path) -> None:
    text = zip_of(tmp_path, {"mimetype": b"application/vnd.oasis.opendocument.text"})

    assert refusal(text) == NOT_A_SPREADSHEET


def test_a_corrupt_zip_is_refused(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, b"PK\x03\x04" + os.urandom(2000))) == CORRUPT


def test_a_truncated_workbook_is_refused(tmp_path: Path) -> None:
    whole = candidates_workbook(tmp_path).read_bytes()

    assert refusal(write(tmp_path, whole[: len(whole) // 2])) == CORRUPT


def test_a_workbook_with_a_damaged_part_is_refused(tmp_path: Path) -> None:
    # A flipped byte inside the compressed sheet: the CRC check catches it before calamine.
    path = candidates_workbook(tmp_path)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet2.xml")
    data = bytearray(path.read_bytes())
    data[sheet.header_offset + 30 + len(sheet.filename) + 20] ^= 0xFF

    assert refusal(write(tmp_path, bytes(data))) == CORRUPT


def test_an_encrypted_workbook_asks_for_the_password_to_be_removed(tmp_path: Path) -> None:
    # As Excel saves a workbook with a password: encrypted, in an OLE2 envelope.
    plain = io.BytesIO(candidates_workbook(tmp_path).read_bytes())
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("geheim", encrypted)

    assert refusal(write(tmp_path, encrypted.getvalue(), "geheim.xlsx")) == PASSWORD


def ole2_renamed(path: Path, old: str, new: str) -> bytes:
    """The OLE2 file at `path` with its stream `old` named `new` in its directory (an entry:
    the name in UTF-16 in 64 bytes, then its length with the final zero)."""
    data = bytearray(path.read_bytes())
    entry = data.find(f"{old}\0".encode("utf-16-le"))
    name = f"{new}\0".encode("utf-16-le")
    data[entry : entry + 64] = name.ljust(64, b"\0")
    data[entry + 64 : entry + 66] = len(name).to_bytes(2, "little")
    return bytes(data)


def test_an_office_file_that_is_no_workbook_is_no_spreadsheet(tmp_path: Path) -> None:
    # A Word 97-2003 document is an OLE2 container too, with a "WordDocument" stream.
    workbook = xls(tmp_path / "t.xls", [["Anna"]], headers=["Vorname"])
    document = ole2_renamed(workbook, "Workbook", "WordDocument")

    assert refusal(write(tmp_path, document, "bewerbung.xls")) == NOT_A_SPREADSHEET


@pytest.mark.parametrize("damage", ["cut in half", "its sheet overwritten"])
def test_a_damaged_xls_is_refused_as_damaged(tmp_path: Path, damage: str) -> None:
    data = xls(tmp_path / "t.xls", [["Anna", "anna@example.com"]]).read_bytes()
    if damage == "cut in half":
        data = data[: len(data) // 2]
    else:
        data = data[:600] + b"\xff" * 3000 + data[3600:]

    assert refusal(write(tmp_path, data, "export.xls")) == CORRUPT


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
        b"\x89PNG\r\n\x1a\n" + os.urandom(1000),
        os.urandom(5000),
    ],
    ids=["pdf", "png", "random"],
)
def test_a_file_that_is_no_spreadsheet_is_refused(tmp_path: Path, content: bytes) -> None:
    assert refusal(write(tmp_path, content)) == NOT_A_SPREADSHEET


@pytest.mark.parametrize("content", [b"", b"\r\n\n  \n", b";;;\r\n;;\r\n"], ids=str)
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    assert refusal(write(tmp_path, content)) == EMPTY


def test_a_workbook_with_blank_sheets_only_is_empty(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.create_sheet("Leer")
    workbook.save(tmp_path / "leer.xlsx")

    assert refusal(tmp_path / "leer.xlsx") == EMPTY


def test_messages_are_translated(tmp_path: Path) -> None:
    with translation.override("de"):
        message = refusal(write(tmp_path, b"%PDF-1.7\n"))

    assert message == "Das ist keine Tabelle (Excel, OpenDocument oder CSV)."


def test_a_large_csv_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "gross.csv"
    with path.open("w", encoding="cp1252", newline="") as file:
        file.write("Vorname;Nachname;E-Mail;Ort;Gehaltswunsch;Bemerkung\r\n")
        for n in range(100_000):
            file.write(f"Jörg{n};Müller;talent{n}@example.com;München;65.000 €;Notiz {n}\r\n")

    tracemalloc.start()
    try:
        table = open_table(path, filename="gross.csv", max_rows=1_000_000)
        count = sum(1 for _ in table.rows())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert count == 100_001
    assert peak < 50 * 1024**2


def test_the_app_refuses_to_start_without_defusedxml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)

    assert [error.id for error in check_defusedxml()] == ["imports.E001"]
    monkeypatch.undo()
    assert check_defusedxml() == []

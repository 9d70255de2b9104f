"""CSV and TSV files: encoding and delimiter detected, records streamed one at a time."""

import codecs
import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import MIXED_ENCODING, NOT_A_SPREADSHEET, NOT_IN_ENCODING, UnreadableFile
from .guards import CHUNK_BYTES
from .table import Cell, Row, Table, is_blank

# Enough to see the encoding and a few dozen records, little enough to read in an instant.
SAMPLE_BYTES = 64 * 1024
DELIMITERS = (";", ",", "\t", "|")
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The old encodings of the Latin alphabet a file may come in, besides charset-normalizer's
# guess; Windows-1252, what German and English Excel on Windows write, first.
LATIN_ENCODINGS = ("cp1252", "cp1250", "mac_roman", "cp850")
# Letters in the names and places of the people Silverpool holds, beyond ASCII, by how
# often they come: Western European ones count twice, Central European ones once (Mac
# Roman's "Müller" reads as Windows-1250's "Mšller" otherwise: a tie). Each counts only
# in a word (see _a_word), and € only beside a number: Windows-1252's "65.000 €" is Mac
# Roman's "65.000 Ä", and its „Top“ is Mac Roman's "ÑTopì".
WESTERN_LETTERS = set("äöüßéèêëàáâãåæçíìîïñóòôõøúùûœÄÖÜÉÈÊÀÁÂÅÆÇÍÎÑÓÔØÚÛ")
CENTRAL_LETTERS = set("łśźżćńąęčřšžěůďťňőűğışŁŚŹŻĆŃĄĘČŘŠŽĚŮĎŤŇŐŰĞİŞ")
WORD = re.compile(r"[^\W\d_]{2,}")
# The letters beyond ASCII of each language whose names an old Latin encoding holds: in a
# word they all come from one (Windows-1252 reads Czech "Vítězslav" as "Vítìzslav",
# Hungarian "Borsodfürdő" as "Borsodfürdõ": no language writes both).
LANGUAGE_LETTERS = [
    set(letters)
    for letters in (
        "äöüßé",  # German
        "àâæçéèêëîïôœùûüÿ",  # French
        "áéíñóúü",  # Spanish
        "áâãàçéêíóôõú",  # Portuguese
        "àèéìòóù",  # Italian
        "åäöéæøü",  # Scandinavian
        "áðéíóúýþæö",  # Icelandic
        "ąćęłńóśźż",  # Polish
        "áäčďéěíĺľňóôŕřšťúůýž",  # Czech and Slovak
        "áéíóöőúüű",  # Hungarian
        "čćđšž",  # Croatian, Serbian, Slovenian
        "ăâîșşțţ",  # Romanian
        "çğıöşüâî",  # Turkish
    )
]
# French writes œ before u, i, e, d, t or s (cœur, œil, œdème, fœtus, œsophage);
# Windows-1252 reads Polish "ś" as œ before others ("Wiœniewski", "Koœmider").
STRAY_OE = re.compile(r"œ(?![uiedts])")
EURO_AMOUNT = re.compile(r"\d\s?€|€\s?\d")
# Fields beyond csv's default 128 KB are not names and addresses; the limit also keeps one
# endless quoted field from filling memory.
csv.field_size_limit(1024 * 1024)


class TextTable(Table):
    """A delimited text file, seen as a single sheet named after the file; read in
    `encoding` if given (the recruiter chose it), else in the one it looks like."""

    def __init__(self, path: Path, *, filename: str, max_rows: int, encoding: str = "") -> None:
        self.path = path
        with path.open("rb") as file:
            sample = file.read(SAMPLE_BYTES)
        self.chosen = bool(encoding)
        self.encoding = encoding or detect_encoding(sample, whole=len(sample) < SAMPLE_BYTES)
        text = sample.decode(self.encoding, errors="replace")
        if looks_binary(text):
            raise UnreadableFile(NOT_IN_ENCODING if self.chosen else NOT_A_SPREADSHEET)
        self.delimiter = detect_delimiter(text)
        super().__init__([Path(filename).stem or filename or "CSV"], max_rows=max_rows)

    def last_row(self, sheet: str) -> int:
        # The lines counted without parsing the records: a fraction of a second for 100 MB.
        lines, last = 0, "\n"
        with self.path.open(encoding=self.encoding, errors="replace", newline="") as file:
            while chunk := file.read(CHUNK_BYTES):
                lines += chunk.count("\n")
                last = chunk[-1]
        return lines + (last != "\n")

    def _read(self, sheet: str) -> Iterator[Row]:
        with self.path.open(encoding=self.encoding, newline="") as file:
            reader = csv.reader(file, delimiter=self.delimiter)
            # A quoted field may span lines, so a record's number is the line it starts on.
            number = 1
            try:
                for record in reader:
                    cells: list[Cell] = [value.strip() or None for value in record]
                    if not is_blank(cells):
                        yield Row(number, cells)
                    number = reader.line_num + 1
            except UnicodeDecodeError as error:
                raise UnreadableFile(NOT_IN_ENCODING if self.chosen else MIXED_ENCODING) from error
            except csv.Error as error:
                raise UnreadableFile(str(error)) from error


def detect_encoding(sample: bytes, *, whole: bool) -> str:
    """The encoding of a text file from its first bytes (`whole`: all of it): a BOM, else
    strict UTF-8, else charset-normalizer's best guess for another alphabet; in the Latin
    alphabet, the old encoding that reads it as names (LATIN_ENCODINGS), Windows-1252 if
    unsure."""
    for bom, encoding in BOMS:
        if sample.startswith(bom):
            return encoding
    try:
        # Final only for the whole file: a sample may end in the middle of a multi-byte
        # character, a file may not (Mac Roman's "65.000 €" at its very end would pass).
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=whole)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    guess = from_bytes(sample).best()
    if guess is None:
        return "cp1252"
    if _another_alphabet(str(guess)):
        return guess.encoding  # Cyrillic, Greek, …
    # A short file in the Latin alphabet fits many old encodings: charset-normalizer read
    # a German Excel file's "Weiß" and "65.000 €" as Mac Icelandic "Weiþ" and "65.000 Ä".
    # The encoding that reads the most letters of names wins; on a tie, the first, and the
    # guess only after all of LATIN_ENCODINGS (it took a Mac file's "Borlänge" for DOS's
    # "Borlènge").
    candidates = dict.fromkeys([*LATIN_ENCODINGS, guess.encoding])
    return max(candidates, key=lambda encoding: _name_letters(sample, encoding))


def _another_alphabet(text: str) -> bool:
    """Whether most of the letters beyond ASCII in `text` are not Latin ones, and most are
    in words of that alphabet. A short Latin file's guess can be any encoding: "65.000 €"
    read as Ukrainian "65.000 А", "José García" as Korean, "Søren" as Urdu, each foreign
    letter alone or amid Latin ones."""
    letters = [char for char in text if ord(char) > 127 and char.isalpha()]
    latin = sum(unicodedata.name(char, "").startswith("LATIN") for char in letters)
    foreign = [word for word in WORD.findall(text) if not any(char.isascii() for char in word)]
    return latin * 2 < len(letters) and sum(map(len, foreign)) * 2 > len(letters)


def _name_letters(sample: bytes, encoding: str) -> int:
    """How much `sample` read in `encoding` looks like names and amounts (WESTERN_LETTERS
    and CENTRAL_LETTERS in words, € beside a number); -1 if it is not in that encoding."""
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError:
        return -1
    score = 2 * len(EURO_AMOUNT.findall(text))
    for word in WORD.findall(text):
        if not word.isascii() and _a_word(word):
            score += sum(2 * (c in WESTERN_LETTERS) + (c in CENTRAL_LETTERS) for c in word)
    return score


def _a_word(letters: str) -> bool:
    """Whether `letters` are written as a word is (müller, Müller, MÜLLER; not "ÒTopÓ"), in
    the letters of one language."""
    cased = letters.replace("ß", "")  # "WEIß": no capital ß on German keyboards
    if not (cased.islower() or cased.isupper() or letters.istitle()):
        return False
    lower = letters.lower()
    beyond = {char for char in lower if not char.isascii()}
    return not STRAY_OE.search(lower) and any(beyond <= language for language in LANGUAGE_LETTERS)


def looks_binary(text: str) -> bool:
    # Text files hold no control characters besides tab, CR, LF and form feed; PDFs, images
    # and random bytes are full of them (and of replacement characters once decoded).
    odd = sum(1 for char in text if (char < " " and char not in "\t\r\n\f") or char == "\ufffd")
    return odd > len(text) // 100


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the sample's lines into the most equally wide records."""
    lines = text.splitlines()[:-1] or text.splitlines()  # the last line may be cut off
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(record) for record in csv.reader(lines, delimiter=delimiter) if record]
        except csv.Error:
            continue
        width, count = Counter(widths).most_common(1)[0] if widths else (1, 0)
        score = (count, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best

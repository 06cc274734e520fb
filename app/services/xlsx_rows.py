"""Cell values of an .xlsx file, streamed row by row.

openpyxl's read-only mode builds a cell object and looks up a style for every
cell; for an import of 200.000 transactions that alone takes most of a
minute. The importer needs only values (and, for one column, the number
format), so this reader parses the sheet XML with the C expat parser and
nothing more: shared strings, inline strings, numbers, booleans, errors, and
dates recognised from the cell's number format exactly as openpyxl does
(``is_date_format``). Anything wrong with the file raises; the caller turns
that into one refusal.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]+)([0-9]*)")
# What openpyxl shows for a date serial outside the calendar.
DATE_ERROR = "#VALUE!"


def _column(ref: str) -> int:
    """ "B12" -> 1 (zero-based column index)."""
    match = _REF.match(ref)
    if match is None:
        raise ValueError(f"bad cell reference {ref!r}")
    index = 0
    for ch in match.group(1):
        index = index * 26 + ord(ch) - 64
    return index - 1


def _text(element: Element) -> str:
    """Text of a string item: plain <t> or rich-text runs; phonetic runs left out."""
    parts = []
    for child in element:
        if child.tag == f"{M}t":
            parts.append(child.text or "")
        elif child.tag == f"{M}r":
            t = child.find(f"{M}t")
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts)


class XlsxReader:
    """One open .xlsx: sheet names, and each sheet's rows as (row number, values, formats)."""

    def __init__(self, source: Path | IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(source)
        self._sheets: dict[str, str] = {}
        self._epoch = CALENDAR_WINDOWS_1900
        self._read_workbook()
        self._shared: list[str] = self._read_shared_strings()
        self._formats: list[str] = self._read_styles()
        self._dates = {i for i, code in enumerate(self._formats) if is_date_format(code)}

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> XlsxReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheets)

    # -- parts ------------------------------------------------------------------

    def _xml(self, name: str) -> Element | None:
        if name not in self.zip.namelist():
            return None
        with self.zip.open(name) as handle:
            root = None
            for _event, element in iterparse(handle, events=("end",)):
                root = element
            return root

    def _read_workbook(self) -> None:
        workbook = self._xml("xl/workbook.xml")
        if workbook is None:
            raise ValueError("xl/workbook.xml is missing")
        rels = self._xml("xl/_rels/workbook.xml.rels")
        targets = {}
        if rels is not None:
            for rel in rels.iter(f"{PR}Relationship"):
                target = rel.get("Target") or ""
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[rel.get("Id")] = posixpath.normpath(path)
        props = workbook.find(f"{M}workbookPr")
        if props is not None and props.get("date1904") in ("1", "true"):
            self._epoch = CALENDAR_MAC_1904
        for sheet in workbook.iter(f"{M}sheet"):
            part = targets.get(sheet.get(f"{R}id"))
            if part is not None:
                self._sheets[sheet.get("name") or ""] = part

    def _read_shared_strings(self) -> list[str]:
        name = "xl/sharedStrings.xml"
        if name not in self.zip.namelist():
            return []
        strings = []
        with self.zip.open(name) as handle:
            for _event, element in iterparse(handle, events=("end",)):
                if element.tag == f"{M}si":
                    strings.append(_text(element))
                    element.clear()
        return strings

    def _read_styles(self) -> list[str]:
        styles = self._xml("xl/styles.xml")
        if styles is None:
            return []
        custom = {
            int(fmt.get("numFmtId", "0")): fmt.get("formatCode", "")
            for fmt in styles.iter(f"{M}numFmt")
        }
        formats = []
        cell_xfs = styles.find(f"{M}cellXfs")
        for xf in cell_xfs if cell_xfs is not None else ():
            fmt_id = int(xf.get("numFmtId", "0"))
            formats.append(custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General"))
        return formats

    # -- rows ---------------------------------------------------------------------

    def _value(self, cell: Element) -> object:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(f"{M}is")
            return None if inline is None else _text(inline)
        v = cell.find(f"{M}v")
        text = None if v is None else v.text
        if text is None:
            return None
        if kind == "s":
            return self._shared[int(text)]
        if kind in ("str", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            return datetime.fromisoformat(text)
        number: int | float
        number = float(text) if any(ch in text for ch in ".eEnN") else int(text)
        if int(cell.get("s", "0")) in self._dates:
            try:
                return from_excel(number, self._epoch)
            except (ValueError, OverflowError):
                return DATE_ERROR
        return number

    def rows(
        self, name: str, *, formats: bool = False
    ) -> Iterator[tuple[int, list[object], list[str]]]:
        """(row number, values by column, number formats by column if asked) of every row."""
        path = self._sheets[name]
        row_tag = f"{M}row"
        with self.zip.open(path) as handle:
            number = 0
            # "end" events only: a start handler too would double the Python work per cell.
            for _event, element in iterparse(handle, events=("end",)):
                if element.tag != row_tag:
                    continue
                number = int(element.get("r") or number + 1)
                values: list[object] = []
                fmts: list[str] = []
                for cell in element.iter(f"{M}c"):
                    ref = cell.get("r")
                    index = _column(ref) if ref else len(values)
                    if index >= len(values):
                        values.extend([None] * (index + 1 - len(values)))
                        fmts.extend([""] * (index + 1 - len(fmts)))
                    values[index] = self._value(cell)
                    if formats:
                        style = int(cell.get("s", "0"))
                        fmts[index] = self._formats[style] if style < len(self._formats) else ""
                yield number, values, fmts
                element.clear()  # an emptied row costs a few bytes; its cells are gone

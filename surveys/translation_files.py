"""A translator's file: every text of a survey in one language as XLSX, and reading it back.

The file holds one row per text of ``TextsForm`` (its field names are the keys), in questionnaire
order, and names its survey and language on a second sheet. Reading checks the whole upload
before anything is stored and reports every problem at once; applying it is ``TextsForm.save``'s
job, so a text change after publishing is recorded as on the texts page.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass

import openpyxl
import xlsxwriter
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from integration_mapping.languages import SURVEY_LANGUAGES
from surveys.forms import TextsForm
from surveys.models import Survey

MAX_BYTES = 2 * 1024 * 1024
# An XLSX is a zip: a small upload can unpack to gigabytes. Real translation files unpack to well
# under a megabyte.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000
MAX_PROBLEMS = 100

# The texts sheet: a header row, then one row per text.
KEY, LABEL, BASE, CURRENT, NEW = range(5)
COLUMNS = 5
# The sheet about the file: the survey and language it belongs to, in fixed cells (row, column).
SURVEY_CELL = (1, 1)
LANGUAGE_CELL = (2, 1)

# A spreadsheet runs a cell starting with "=" as a formula; "+", "-" and "@" too when a function
# call or a cell reference follows (a dash that starts a list item is fine).
FORMULA_LIKE = re.compile(r"^(=|[+\-@]\s*([A-Za-z_][\w.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+\s*([-+*/^&:,;)]|$)))")


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: str
    after: str


def text_fields(form: TextsForm) -> dict[str, forms.CharField]:
    """The form's texts, in questionnaire order: its CharFields (flags such as "checked" are not
    for translators, and a disabled field would not be saved)."""
    return {
        name: field for name, field in form.fields.items() if isinstance(field, forms.CharField) and not field.disabled
    }


def current_texts(form: TextsForm) -> dict[str, str]:
    return {name: str(form.get_initial_for_field(field, name) or "") for name, field in text_fields(form).items()}


def fingerprint(form: TextsForm) -> str:
    """A digest of the texts as they are now: a preview is applied only while it still holds."""
    encoded = json.dumps(current_texts(form), sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def form_data(form: TextsForm, texts: dict[str, str]) -> dict[str, object]:
    """Data for a bound ``TextsForm``: every field as it is now, with ``texts`` laid over it."""
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        initial = form.get_initial_for_field(field, name)
        data[name] = "" if initial is None and isinstance(field, forms.CharField) else initial
    return {**data, **texts}


def changes(form: TextsForm, texts: dict[str, str]) -> list[Change]:
    """What ``texts`` would change, in questionnaire order."""
    fields = text_fields(form)
    now = current_texts(form)
    return [
        Change(key=name, label=str(fields[name].label), before=now[name], after=texts[name])
        for name in fields
        if name in texts and texts[name] != _normalised(now[name])
    ]


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def language_name(language: str) -> str:
    return SURVEY_LANGUAGES[language][0]


def is_rtl(language: str) -> bool:
    return SURVEY_LANGUAGES[language][1]


# Writing -----------------------------------------------------------------------------------------


def workbook_bytes(survey: Survey, language: str) -> bytes:
    form = TextsForm(survey=survey, language=language)
    fields = text_fields(form)
    now = current_texts(form)
    base = survey.base_language
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": survey.display_title, "subject": language_name(language)})
    header = workbook.add_format({"bold": True, "bg_color": "#E7E6E6", "text_wrap": True, "valign": "top"})
    plain = workbook.add_format({"text_wrap": True, "valign": "top"})
    small = workbook.add_format({"text_wrap": True, "valign": "top", "font_color": "#595959"})

    def text_format(language: str, **extra: object):
        text = workbook.add_format({"text_wrap": True, "valign": "top", **extra})
        if is_rtl(language):
            text.set_reading_order(2)
        return text

    base_format = text_format(base)
    current_format = text_format(language)
    new_format = text_format(language, bg_color="#FFF2CC", border=1, border_color="#BFBFBF")

    sheet = workbook.add_worksheet(_("Texts")[:31])
    titles = {
        KEY: _("Key"),
        LABEL: _("Where"),
        BASE: _("Text in %(language)s") % {"language": language_name(base)},
        CURRENT: _("Current translation"),
        NEW: _("New translation"),
    }
    for column, title in titles.items():
        sheet.write_string(0, column, title, header)
    for row, (name, field) in enumerate(fields.items(), start=1):
        base_text = str(field.help_text or "") or (now[name] if form.is_base else "")
        sheet.write_string(row, KEY, name, small)
        sheet.write_string(row, LABEL, str(field.label), plain)
        sheet.write_string(row, BASE, base_text, base_format)
        sheet.write_string(row, CURRENT, now[name], current_format)
        sheet.write_blank(row, NEW, None, new_format)
        if field.max_length:
            sheet.data_validation(
                row,
                NEW,
                row,
                NEW,
                {
                    "validate": "length",
                    "criteria": "<=",
                    "value": field.max_length,
                    "error_title": _("Too long"),
                    "error_message": _("At most %(max)s characters.") % {"max": field.max_length},
                },
            )
    for column, width in ((KEY, 16), (LABEL, 14), (BASE, 50), (CURRENT, 45), (NEW, 60)):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    sheet.set_selection(1, NEW, 1, NEW)

    about = workbook.add_worksheet(_("About this file")[:31])
    lines = [  # rows 2 and 3 are SURVEY_CELL and LANGUAGE_CELL
        (_("Survey"), survey.display_title),
        (_("Survey ID"), survey.public_id),
        (_("Language code"), language),
        (_("Language"), language_name(language)),
        (_("Wave"), survey.wave_label),
    ]
    for row, (title, value) in enumerate(lines):
        about.write_string(row, 0, title, header)
        about.write_string(row, 1, value, plain)
    instructions = [
        _("Write your translation in the column “New translation” of the sheet “Texts”."),
        _("Leave a cell empty to keep the current text. Do not change the other columns or this sheet."),
        _("Write plain text: no formulas. Keep each text within the length the sheet allows."),
    ]
    for offset, line in enumerate(instructions):
        about.write_string(len(lines) + 1 + offset, 0, line, plain)
    about.set_column(0, 0, 22)
    about.set_column(1, 1, 50)
    about.protect()
    workbook.close()
    return buffer.getvalue()


# Reading -----------------------------------------------------------------------------------------

Row = tuple[int, tuple[tuple[object, str], ...]]  # (row number, (value, data type) per column)


def read_upload(survey: Survey, language: str, file: UploadedFile) -> dict[str, str]:
    """The non-empty "New translation" texts of an uploaded file, by key, normalised.

    Raises ``ValidationError`` listing every problem found; then nothing may be applied.
    """
    texts_rows, about_rows = _rows(file)
    _check_identity(about_rows, survey, language)
    form = TextsForm(survey=survey, language=language)
    fields = text_fields(form)
    problems: list[str] = []
    texts: dict[str, str] = {}
    seen: dict[str, int] = {}
    for number, cells in texts_rows[1:]:  # the first row is the header
        problems.extend(
            _("Row %(row)s: cell %(cell)s holds a formula; only plain text is accepted.")
            % {"row": number, "cell": f"{get_column_letter(column + 1)}{number}"}
            for column, (_value, data_type) in enumerate(cells)
            if data_type == "f"
        )
        if any(data_type == "f" for _value, data_type in cells):
            continue
        key_value, new_value = cells[KEY][0], cells[NEW][0]
        key = str(key_value).strip() if key_value is not None else ""
        new = _cell_text(new_value)
        if not key:
            if new:
                problems.append(_("Row %(row)s: there is a new translation but no key.") % {"row": number})
            continue
        if key not in fields:
            problems.append(
                _("Row %(row)s: the key “%(key)s” is not a text of this survey.") % {"row": number, "key": key[:80]}
            )
            continue
        if key in seen:
            problems.append(
                _("Row %(row)s: the key “%(key)s” is already on row %(first)s.")
                % {"row": number, "key": key, "first": seen[key]}
            )
            continue
        seen[key] = number
        if new is None:
            problems.append(
                _("Row %(row)s (%(label)s): the new translation is not plain text.")
                % {"row": number, "label": fields[key].label}
            )
            continue
        if not new:
            continue
        where = {"row": number, "label": fields[key].label}
        if FORMULA_LIKE.match(new):
            problems.append(
                _("Row %(row)s (%(label)s): a text cannot start like a formula (for example with “=”).") % where
            )
        elif fields[key].max_length and len(new) > fields[key].max_length:
            problems.append(
                _("Row %(row)s (%(label)s): the new translation has %(length)s characters; at most %(max)s fit.")
                % {**where, "length": len(new), "max": fields[key].max_length}
            )
        else:
            texts[key] = new
    if not problems:
        bound = TextsForm(form_data(form, texts), survey=survey, language=language)
        if not bound.is_valid():
            for name, errors in bound.errors.items():
                label = fields[name].label if name in fields else ""
                problems.extend(f"{label}: {error}" if label else str(error) for error in errors)
    if problems:
        raise ValidationError(_limited(problems))
    return texts


def _cell_text(value: object) -> str | None:
    """A cell's text, normalised; "" for an empty cell, ``None`` for a value that is not text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        # A translator may type an option such as "5" that the spreadsheet stores as a number.
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, str):
        return _normalised(value)
    return None


def _limited(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    more = ngettext("…and %(count)s more problem.", "…and %(count)s more problems.", rest) % {"count": rest}
    return [*problems[:MAX_PROBLEMS], more]


def _not_ours() -> ValidationError:
    return ValidationError(
        _("This is not a translation file of this site. Download the file for a translator and fill that in.")
    )


def _rows(file: UploadedFile) -> tuple[list[Row], list[Row]]:
    """The cells of the texts sheet (first columns) and of the sheet about the file."""
    if file.size is not None and file.size > MAX_BYTES:
        raise ValidationError(_("The file is too large: at most %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    content = file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ValidationError(_("The file is too large: at most %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    not_xlsx = ValidationError(
        _("This file could not be read as an Excel file (.xlsx). Save it as .xlsx and upload it again.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_xlsx from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(_("The file holds too much data for a translation file."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on a damaged or foreign file
        raise not_xlsx from None
    try:
        sheets = workbook.worksheets
        if len(sheets) < 2:
            raise _not_ours()
        return _sheet_rows(sheets[0], COLUMNS), _sheet_rows(sheets[1], 2)
    except ValidationError:
        raise
    except Exception:  # a damaged sheet is only parsed here, in read-only mode
        raise not_xlsx from None
    finally:
        workbook.close()


def _sheet_rows(sheet: object, columns: int) -> list[Row]:
    rows: list[Row] = []
    for number, cells in enumerate(sheet.iter_rows(max_col=columns, max_row=MAX_ROWS + 1), start=1):
        values = tuple((cell.value, cell.data_type) for cell in cells)
        values += ((None, "n"),) * (columns - len(values))
        if number > MAX_ROWS and any(value is not None for value, _type in values):
            raise ValidationError(_("The file has more than %(rows)s rows.") % {"rows": MAX_ROWS})
        rows.append((number, values))
    return rows


def _check_identity(about_rows: list[Row], survey: Survey, language: str) -> None:
    def cell(position: tuple[int, int]) -> str:
        row, column = position
        if row >= len(about_rows):
            return ""
        value, data_type = about_rows[row][1][column]
        return str(value).strip() if value is not None and data_type != "f" else ""

    found_survey, found_language = cell(SURVEY_CELL), cell(LANGUAGE_CELL)
    if not found_survey or not found_language:
        raise _not_ours()
    problems = []
    if found_survey != survey.public_id:
        problems.append(_("This file belongs to another survey. Download the file of this survey."))
    if found_language != language:
        name = SURVEY_LANGUAGES.get(found_language, (found_language[:20],))[0]
        problems.append(
            _("This file holds texts in %(found)s, not in %(language)s.")
            % {"found": name, "language": language_name(language)}
        )
    if problems:
        raise ValidationError(problems)

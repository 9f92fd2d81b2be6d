"""Bulk import of people from an HR system's export (CSV or XLSX), all or nothing.

The import runs in three steps, so that a file with one bad row writes nothing:
read the file into plain rows → check every row against the file and the organisation
(everything loaded once into dictionaries, no query per row) → write with bulk queries.
The column format is documented in docs/import.md.
"""

import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.core.batches import chunks
from mentora.core.text import has_control_character
from mentora.organisations.models import Department, Organisation, Role, RoleMembership
from mentora.organisations.services import organisation_figures_changed
from mentora.people.field_checks import (
    availability_error,
    email_error,
    length_error,
    offered_level_error,
    priority_error,
    seniority_error,
    time_zone_error,
)
from mentora.people.history import hr_changes_record
from mentora.people.import_files import Unreadable, read_rows
from mentora.people.models import (
    MAX_SKILL_LEVEL,
    HrChangeSource,
    Language,
    MeetingMode,
    OfferedSkill,
    Person,
    Priority,
    Skill,
    SkillAlias,
    SkillCategory,
    SkillStatus,
    WantedSkill,
)
from mentora.people.permissions import ROLE_RANKS, person_rank, role_rank
from mentora.people.sign_in import email_change_start

logger = logging.getLogger(__name__)

COLUMNS = (
    "employee_id",
    "email",
    "full_name",
    "job_title",
    "job_family",
    "department",
    "manager",
    "seniority",
    "location",
    "time_zone",
    "languages",
    "availability_hours_per_month",
    "meeting_mode",
    "offered_skills",
    "wanted_skills",
    "roles",
    "goals",
    "purpose",
    "leaving_date",
    "effective_date",
)
# What the export writes: every column but `effective_date`, which dates the file's changes
# (the HR history) rather than describing the person.
EXPORT_COLUMNS = tuple(column for column in COLUMNS if column != "effective_date")
REQUIRED_COLUMNS = ("employee_id", "email")
# Other names HR systems commonly use for our columns (after lower-casing, spaces → "_").
COLUMN_ALIASES = {
    "name": "full_name",
    "title": "job_title",
    "manager_employee_id": "manager",
    "manager_email": "manager",
    "timezone": "time_zone",
    "availability": "availability_hours_per_month",
    "hours_per_month": "availability_hours_per_month",
}
# Text columns that may hold line breaks (TextFields); every other cell is one line.
MULTI_LINE_COLUMNS = ("goals", "purpose")
IMPORTED_SKILL_CATEGORY = "Imported"
DEPARTMENT_SEPARATOR = ">"
DEFAULT_OFFERED_LEVEL = 3
DEFAULT_WANTED_PRIORITY = Priority.MEDIUM
LIST_SPLIT = re.compile(r"[;,]")
QUERY_CHUNK = 2000
# Progress of a background import: (percent, stage) callbacks.
Progress = Callable[[int, str], None]
PROGRESS_EVERY = 5000  # rows read between two progress reports
WRITE_PROGRESS = 60  # the percentage reported just before the first write transaction opens
WRITE_CHUNK = 2000  # new people per write transaction: about a second of SQLite's write lock

# Languages the import may add to the shared language table, by BCP 47 code.
KNOWN_LANGUAGES = {
    "af": "Afrikaans",
    "am": "Amharic",
    "ar": "Arabic",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "en-GB": "English (United Kingdom)",
    "en-US": "English (United States)",
    "es": "Spanish",
    "es-419": "Spanish (Latin America)",
    "es-MX": "Spanish (Mexico)",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fil": "Filipino",
    "fr": "French",
    "fr-CA": "French (Canada)",
    "ga": "Irish",
    "gl": "Galician",
    "gu": "Gujarati",
    "ha": "Hausa",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "kn": "Kannada",
    "ko": "Korean",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mr": "Marathi",
    "ms": "Malay",
    "mt": "Maltese",
    "nb": "Norwegian Bokmål",
    "ne": "Nepali",
    "nl": "Dutch",
    "no": "Norwegian",
    "pa": "Punjabi",
    "pl": "Polish",
    "pt": "Portuguese",
    "pt-BR": "Portuguese (Brazil)",
    "pt-PT": "Portuguese (Portugal)",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sq": "Albanian",
    "sr": "Serbian",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "th": "Thai",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "vi": "Vietnamese",
    "yo": "Yoruba",
    "zh": "Chinese",
    "zh-Hans": "Chinese (Simplified)",
    "zh-Hant": "Chinese (Traditional)",
    "zu": "Zulu",
}
MEETING_MODE_WORDS = {
    "in_person": MeetingMode.IN_PERSON,
    "inperson": MeetingMode.IN_PERSON,
    "face_to_face": MeetingMode.IN_PERSON,
    "video": MeetingMode.VIDEO,
    "video_call": MeetingMode.VIDEO,
    "remote": MeetingMode.VIDEO,
    "online": MeetingMode.VIDEO,
    "either": MeetingMode.EITHER,
    "any": MeetingMode.EITHER,
    "both": MeetingMode.EITHER,
}
PRIORITY_WORDS = {
    "high": Priority.HIGH,
    "medium": Priority.MEDIUM,
    "med": Priority.MEDIUM,
    "low": Priority.LOW,
}


@dataclass(frozen=True)
class ImportIssue:
    """One reason the file cannot be imported. Line 1 is the header."""

    line: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.line, "column": self.column, "value": self.value, "message": self.message}


@dataclass(frozen=True)
class ImportedPerson:
    """A row the import wrote or found unchanged, and the person it is now (for integrations)."""

    row: int  # the file's line, 1 being the header
    employee_id: str
    person_id: int


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportIssue] = field(default_factory=list)
    new_skills: list[str] = field(default_factory=list)
    new_languages: list[str] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    # New sign-in e-mails of existing people: each is changed only once its owner confirms the link
    # sent there after the import (mentora.people.sign_in.email_change_start).
    pending_email_changes: list[str] = field(default_factory=list)
    # Every row's person after an import that wrote (none after a dry run or a refused file).
    people: list[ImportedPerson] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "new_skills": self.new_skills,
            "new_languages": self.new_languages,
            "new_departments": self.new_departments,
            "pending_email_changes": self.pending_email_changes,
            "people": [asdict(person) for person in self.people],
            "errors": [issue.as_dict() for issue in self.errors],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        """The report as `as_dict` stored it (a background import keeps its report as JSON)."""
        errors = [
            ImportIssue(issue["row"], issue["column"], issue["value"], issue["message"])
            for issue in data.get("errors", [])
        ]
        people = [ImportedPerson(**person) for person in data.get("people", [])]
        return cls(**{**data, "errors": errors, "people": people})


# ---------------------------------------------------------------------------------------------
# Reading (mentora.people.import_files): bytes → header + rows of stripped strings, each with its
# line number.


def visible(value: str, *, multi_line: bool = False) -> str:
    """The text with each refused control character shown as U+FFFD, safe to report and store."""
    return "".join("\ufffd" if has_control_character(char, multi_line=multi_line) else char for char in value)


def _normalise_header(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return COLUMN_ALIASES.get(key, key)


def _parse_header(cells: list[str]) -> tuple[list[str], list[ImportIssue], bool]:
    """The columns in file order, the header's problems, and whether a required column is missing."""
    columns, issues, seen = [], [], set()
    for raw in cells:
        column = _normalise_header(raw)
        if not column:
            columns.append("")
            continue
        if column not in COLUMNS:
            issues.append(
                ImportIssue(1, raw, raw, _("Unknown column. Known columns: %s.") % ", ".join(COLUMNS))
            )
        elif column in seen:
            issues.append(ImportIssue(1, raw, raw, _("This column appears twice.")))
        seen.add(column)
        columns.append(column)
    missing = [required for required in REQUIRED_COLUMNS if required not in seen]
    for required in missing:
        issues.append(ImportIssue(1, required, "", _("The required column “%s” is missing.") % required))
    return columns, issues, bool(missing)


# ---------------------------------------------------------------------------------------------
# Checking: every row against the file and the organisation, collecting every issue.

NEW = "new"  # marks references to rows that do not exist yet (departments, skills)


@dataclass
class _Row:
    line: int
    employee_id: str
    email: str
    fields: dict = field(default_factory=dict)  # Person fields with their new values
    department: object = None  # Department id, (NEW, key) or None
    manager_value: str | None = None  # raw manager cell, None when the column is absent
    manager_key: str | None = None
    languages: set | None = None  # language codes
    offered: dict | None = None  # skill ref → level
    wanted: dict | None = None  # skill ref → priority
    roles: set = field(default_factory=set)
    person: dict | None = None  # existing person, as loaded
    user_id: int | None = None  # existing account to link (new people) or keep
    email_change: str | None = None  # an existing person's new e-mail, to be confirmed by them
    effective_date: datetime.date | None = None  # when the row's HR changes take effect


def _language_code(raw: str) -> str:
    parts = re.split(r"[-_]", raw.strip())
    code = parts[0].lower()
    for part in parts[1:]:
        if len(part) == 2:
            code += "-" + part.upper()
        elif len(part) == 4:
            code += "-" + part.title()
        else:
            code += "-" + part.lower()
    return code


# A BCP 47 tag with a script and/or region (`zh-CN`, `de-CH`, `sr-Latn-RS`, `es-419`).
REGIONAL_TAG = re.compile(
    r"(?P<base>[a-z]{2,3})(?:-(?P<script>[A-Z][a-z]{3}))?(?:-(?P<region>[A-Z]{2}|\d{3}))?"
)


def _regional_language_name(code: str) -> str | None:
    """The name of a tag that adds a script or region to a known language, e.g. "German (CH)"."""
    match = REGIONAL_TAG.fullmatch(code)
    if match is None or code in KNOWN_LANGUAGES:
        return None
    base = KNOWN_LANGUAGES.get(match["base"])
    if base is None or len(code) > Language._meta.get_field("code").max_length:
        return None
    detail = "-".join(part for part in (match["script"], match["region"]) if part)
    return f"{base} ({detail})" if detail else None


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in LIST_SPLIT.split(value) if item.strip()]


class _Checker:
    """Loads the organisation once, then checks rows in memory."""

    def __init__(self, organisation: Organisation, importer: Person | None = None):
        self.organisation = organisation
        self.issues: list[ImportIssue] = []
        # Who edits whom (people/permissions.py): the importer changes nobody of a higher role
        # and grants no role above their own. An import without an importer (the demo, the
        # command line) is the operator's own.
        self.importer_rank = None if importer is None else person_rank(importer)
        self.ranks: dict[int, int] = {}
        if importer is not None:
            for person_id, role in RoleMembership.objects.filter(
                person__organisation=organisation, role__in=list(ROLE_RANKS)
            ).values_list("person_id", "role"):
                self.ranks[person_id] = max(self.ranks.get(person_id, 0), ROLE_RANKS[role])
        people = list(
            Person.objects.filter(organisation=organisation).values(
                "id",
                "user_id",
                "user__username",
                "employee_id",
                "email",
                "full_name",
                "job_title",
                "job_family",
                "department_id",
                "manager_id",
                "seniority",
                "location",
                "time_zone",
                "availability_hours_per_month",
                "meeting_mode",
                "goals",
                "purpose",
                "leaving_date",
            )
        )
        self.people_by_id = {p["id"]: p for p in people}
        self.people_by_employee_id = {p["employee_id"]: p for p in people if p["employee_id"]}
        self.people_by_email = {p["email"].lower(): p for p in people}
        self.departments = {
            name.lower(): pk
            for pk, name in Department.objects.filter(organisation=organisation).values_list("id", "name")
        }
        self.new_departments: dict[str, tuple[str, str | None]] = {}  # key → (name, parent key)
        self.skill_ids: dict[str, int] = {}
        # A skill merged into another is read as the skill it was merged into.
        for pk, name, slug, merged_into in Skill.objects.filter(organisation=organisation).values_list(
            "id", "name", "slug", "merged_into"
        ):
            self.skill_ids.setdefault(name.lower(), merged_into or pk)
            self.skill_ids.setdefault(slug.lower(), merged_into or pk)
        for alias, skill_id in SkillAlias.objects.filter(organisation=organisation).values_list(
            "alias", "skill_id"
        ):
            self.skill_ids.setdefault(alias.lower(), skill_id)
        self.new_skills: dict[str, str] = {}  # key → name as first written
        self.language_codes = {code.lower(): code for code in Language.objects.values_list("code", flat=True)}
        self.language_names = {name.lower(): code for code, name in KNOWN_LANGUAGES.items()}
        self.language_names.update(
            {name.lower(): code for code, name in Language.objects.values_list("code", "name")}
        )
        self.new_languages: dict[str, str] = {}  # code → name
        self.renamed: dict[int, str] = {}  # person id → employee id given by the file
        self.role_labels = {str(label).lower(): role for role, label in Role.choices}

    def error(self, line: int, column: str, value: str, message: str) -> None:
        self.issues.append(ImportIssue(line, column, value[:200], message))

    # -- one cell each --------------------------------------------------------------------------

    def text(self, row: _Row, cells: dict, column: str) -> None:
        if column not in cells:
            return
        value = cells[column]
        if error := length_error(Person, column, value):
            self.error(row.line, column, value, error)
        row.fields[column] = value

    def number(self, row: _Row, cells: dict, column: str, check: Callable[[int], str | None]) -> None:
        value = cells.get(column, "")
        if not value:
            return
        try:
            number = int(value)
        except ValueError:
            self.error(row.line, column, value, _("Not a whole number."))
            return
        if error := check(number):
            self.error(row.line, column, value, error)
            return
        row.fields[column] = number

    def date(self, row: _Row, cells: dict, column: str) -> datetime.date | None:
        """An ISO date (2026-03-31); an empty cell is no date."""
        value = cells.get(column, "")
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.error(row.line, column, value, _("Write the date as year-month-day, e.g. 2026-03-31."))
            return None

    def time_zone(self, row: _Row, cells: dict) -> None:
        value = cells.get("time_zone", "")
        if not value:
            return
        if error := time_zone_error(value):
            self.error(row.line, "time_zone", value, error)
            return
        row.fields["time_zone"] = value

    def meeting_mode(self, row: _Row, cells: dict) -> None:
        value = cells.get("meeting_mode", "")
        if not value:
            return
        mode = MEETING_MODE_WORDS.get(re.sub(r"[\s\-]+", "_", value.lower()))
        if mode is None:
            self.error(row.line, "meeting_mode", value, _("Use one of: in_person, video, either."))
            return
        row.fields["meeting_mode"] = mode.value

    def department(self, row: _Row, cells: dict) -> None:
        if "department" not in cells:
            return
        value = cells["department"]
        row.fields["department"] = None
        if not value:
            return
        parent_key = None
        names = [name.strip() for name in value.split(DEPARTMENT_SEPARATOR) if name.strip()]
        for name in names:
            if error := length_error(Department, "name", name):
                self.error(row.line, "department", value, error)
                return
            key = name.lower()
            if key not in self.departments and key not in self.new_departments:
                self.new_departments[key] = (name, parent_key)
            parent_key = key
        key = names[-1].lower()
        row.department = self.departments.get(key, (NEW, key))

    def languages(self, row: _Row, cells: dict) -> None:
        if "languages" not in cells:
            return
        codes = set()
        for item in _split_list(cells["languages"]):
            code = self.language_names.get(item.lower()) or _language_code(item)
            known = self.language_codes.get(code.lower())
            if known is None and code in KNOWN_LANGUAGES:
                known = code
                self.new_languages[code] = KNOWN_LANGUAGES[code]
            if known is None and (name := _regional_language_name(code)):
                known = code
                self.new_languages[code] = name
            if known is None:
                self.error(
                    row.line, "languages", item, _("Unknown language; use a code like en, fr or pt-BR.")
                )
                continue
            codes.add(known)
        row.languages = codes

    def skill_ref(self, name: str):
        key = name.lower()
        if key in self.skill_ids:
            return self.skill_ids[key]
        self.new_skills.setdefault(key, name)
        return (NEW, key)

    def skills(self, row: _Row, cells: dict, column: str) -> dict | None:
        if column not in cells:
            return None
        offered = column == "offered_skills"
        result = {}
        for item in _split_list(cells[column]):
            name, _sep, amount = item.rpartition(":") if ":" in item else (item, "", "")
            name, amount = name.strip(), amount.strip()
            if not name:
                self.error(row.line, column, item, _("A skill name is missing."))
                continue
            if error := length_error(Skill, "name", name):
                self.error(row.line, column, item, error)
                continue
            if offered:
                value = self._level(amount)
                if value is None:
                    self.error(row.line, column, item, _("The level must be 1 to %d.") % MAX_SKILL_LEVEL)
                    continue
            else:
                value = self._priority(amount)
                if value is None:
                    self.error(row.line, column, item, _("The priority must be high, medium, low or 1 to 3."))
                    continue
            ref = self.skill_ref(name)
            if ref in result:
                self.error(row.line, column, item, _("This skill is listed twice."))
                continue
            result[ref] = value
        return result

    @staticmethod
    def _level(amount: str) -> int | None:
        if not amount:
            return DEFAULT_OFFERED_LEVEL
        if amount.isdigit() and not offered_level_error(int(amount)):
            return int(amount)
        return None

    @staticmethod
    def _priority(amount: str) -> int | None:
        if not amount:
            return DEFAULT_WANTED_PRIORITY
        if amount.isdigit() and not priority_error(int(amount)):
            return int(amount)
        word = PRIORITY_WORDS.get(amount.lower())
        return int(word) if word is not None else None

    def roles(self, row: _Row, cells: dict) -> None:
        value = cells.get("roles", "")
        for item in _split_list(value):
            key = re.sub(r"[\s\-]+", "_", item.lower())
            role = key if key in Role.values else self.role_labels.get(item.lower())
            if role is None:
                self.error(row.line, "roles", item, _("Unknown role; use: %s.") % ", ".join(Role.values))
                continue
            row.roles.add(role)

    # -- the whole file ------------------------------------------------------------------------

    def check(self, columns: list[str], lines: list[tuple[int, list[str]]]) -> list[_Row]:
        rows: list[_Row] = []
        lines_by_employee_id: dict[str, int] = {}
        lines_by_email: dict[str, int] = {}
        for line, cells_list in lines:
            if not any(cells_list):
                continue
            if len(cells_list) > len(columns) and any(cells_list[len(columns) :]):
                self.error(line, "", "", _("This row has more cells than the header has columns."))
            cells = {
                column: (cells_list[index] if index < len(cells_list) else "")
                for index, column in enumerate(columns)
                if column in COLUMNS
            }
            self.control_characters(line, cells)
            rows.append(self.check_row(line, cells, lines_by_employee_id, lines_by_email))
        if "manager" in columns:
            self.resolve_managers(rows)
        return rows

    def control_characters(self, line: int, cells: dict) -> None:
        """NUL and the other control characters nobody types are refused here, in the check, because
        PostgreSQL refuses NUL only when the import writes: a dry run must refuse what the import would.
        The cell's control characters are then made visible, so that no later step sends them on."""
        for column, value in cells.items():
            multi_line = column in MULTI_LINE_COLUMNS
            if has_control_character(value, multi_line=multi_line):
                cells[column] = visible(value, multi_line=multi_line)
                if multi_line:
                    message = _("Remove the control characters (such as NUL) from this text.")
                else:
                    message = _("Use a single line without control characters (such as a line break or NUL).")
                self.error(line, column, cells[column], message)

    def check_row(self, line: int, cells: dict, lines_by_employee_id: dict, lines_by_email: dict) -> _Row:
        employee_id = cells["employee_id"]
        email = cells["email"].lower()
        row = _Row(line=line, employee_id=employee_id, email=email)
        if not employee_id:
            self.error(line, "employee_id", "", _("A value is required."))
        elif error := length_error(Person, "employee_id", employee_id):
            self.error(line, "employee_id", employee_id, error)
        elif employee_id in lines_by_employee_id:
            self.error(
                line,
                "employee_id",
                employee_id,
                _("Duplicate employee id: also on line %d.") % lines_by_employee_id[employee_id],
            )
        else:
            lines_by_employee_id[employee_id] = line
        if not email:
            self.error(line, "email", "", _("A value is required."))
        else:
            if error := email_error(email):
                self.error(line, "email", cells["email"], error)
            if email in lines_by_email:
                self.error(
                    line, "email", email, _("Duplicate email: also on line %d.") % lines_by_email[email]
                )
            else:
                lines_by_email[email] = line
        self.match_person(row)

        self.text(row, cells, "full_name")
        if not row.fields.get("full_name"):
            row.fields.pop("full_name", None)
            if row.person is None:
                local = email.split("@")[0]
                row.fields["full_name"] = re.sub(r"[._\-]+", " ", local).title() or employee_id
        for column in ("job_title", "job_family", "location", "goals", "purpose"):
            self.text(row, cells, column)
        self.number(row, cells, "seniority", seniority_error)
        self.number(row, cells, "availability_hours_per_month", availability_error)
        self.time_zone(row, cells)
        if "leaving_date" in cells:
            row.fields["leaving_date"] = self.date(row, cells, "leaving_date")
        row.effective_date = self.date(row, cells, "effective_date")
        self.meeting_mode(row, cells)
        self.department(row, cells)
        self.languages(row, cells)
        row.offered = self.skills(row, cells, "offered_skills")
        row.wanted = self.skills(row, cells, "wanted_skills")
        self.roles(row, cells)
        if row.person is None:
            row.roles = row.roles or {Role.PARTICIPANT.value}
            row.fields.setdefault("time_zone", self.organisation.default_time_zone)
        if "manager" in cells:
            row.manager_value = cells["manager"]
        return row

    def match_person(self, row: _Row) -> None:
        """Upsert by employee id; an existing person without one is claimed by their email."""
        person = self.people_by_employee_id.get(row.employee_id)
        by_email = self.people_by_email.get(row.email)
        if person is None and by_email is not None and not by_email["employee_id"]:
            person = by_email
            row.fields["employee_id"] = row.employee_id
        if by_email is not None and by_email is not person:
            self.error(
                row.line,
                "email",
                row.email,
                _("This email already belongs to employee %s in the organisation.")
                % (by_email["employee_id"] or by_email["full_name"]),
            )
        row.person = person
        if person is not None:
            row.user_id = person["user_id"]
            if row.email and row.email != person["email"]:
                row.email_change = row.email
        elif row.email:
            row.fields["email"] = row.email

    def check_accounts(self, rows: list[_Row]) -> None:
        """Sign-in names are emails and are unique across organisations."""
        reported = {issue.line for issue in self.issues if issue.column == "email"}
        wanted = {
            row.email: row
            for row in rows
            if row.email and row.line not in reported and (row.person is None or row.email_change)
        }
        User = get_user_model()
        emails = list(wanted)
        for start in range(0, len(emails), QUERY_CHUNK):
            accounts = User.objects.filter(username__in=emails[start : start + QUERY_CHUNK]).values(
                "id", "username", "person__id", "is_staff"
            )
            for account in accounts:
                row = wanted[account["username"]]
                if account["person__id"] is None and row.person is None and not account["is_staff"]:
                    row.user_id = account["id"]  # an account nobody uses yet: link it (never a staff one)
                elif row.person is None or account["id"] != row.user_id:
                    self.error(
                        row.line,
                        "email",
                        row.email,
                        _("Another account, maybe in another organisation, signs in with this email."),
                    )

    def node(self, person: dict | None) -> str | None:
        """The reporting-graph key of an existing person: their employee id after the import."""
        if person is None:
            return None
        return self.renamed.get(person["id"]) or person["employee_id"] or f"#{person['id']}"

    def resolve_managers(self, rows: list[_Row]) -> None:
        rows_by_employee_id = {row.employee_id: row for row in rows if row.employee_id}
        rows_by_email = {row.email: row for row in rows if row.email}
        for row in rows:
            if row.person is not None and row.employee_id:
                self.renamed[row.person["id"]] = row.employee_id
        graph: dict[str, str | None] = {}  # reporting line after the import: node → manager node
        for person in self.people_by_id.values():
            graph[self.node(person)] = self.node(self.people_by_id.get(person["manager_id"]))
        for row in rows:
            if not row.employee_id:
                continue
            value = row.manager_value or ""
            if not value:
                graph[row.employee_id] = None
                continue
            target = rows_by_employee_id.get(value) or rows_by_email.get(value.lower())
            if target is not None:
                row.manager_key = target.employee_id
            else:
                person = self.people_by_employee_id.get(value) or self.people_by_email.get(value.lower())
                row.manager_key = self.node(person)
            if row.manager_key is None:
                self.error(
                    row.line,
                    "manager",
                    value,
                    _("Unknown manager: no row or person has this employee id or email."),
                )
            elif row.manager_key == row.employee_id:
                self.error(row.line, "manager", value, _("A person cannot be their own manager."))
                row.manager_key = None
            graph[row.employee_id] = row.manager_key
        for chain in _cycles(graph):
            path = " → ".join([*chain, chain[0]])
            for node in chain:
                row = rows_by_employee_id.get(node)
                if row is not None and row.manager_value:
                    self.error(
                        row.line, "manager", row.manager_value, _("Cycle in the reporting line: %s.") % path
                    )


def _cycles(graph: dict[str, str | None]) -> list[list[str]]:
    """Every cycle of a graph where each node has at most one outgoing edge."""
    state: dict[str, int] = {}  # node → walk number that visited it
    cycles = []
    for walk, start in enumerate(graph):
        if start in state:
            continue
        path, node = [], start
        while node is not None and node not in state:
            state[node] = walk
            path.append(node)
            node = graph.get(node)
        if node is not None and state[node] == walk:
            cycles.append(path[path.index(node) :])
    return cycles


# ---------------------------------------------------------------------------------------------
# Planning: what changes for each row (also what a dry run reports).


@dataclass
class _Current:
    languages: dict  # person id → {code}
    offered: dict  # person id → {skill id: level}
    wanted: dict  # person id → {skill id: priority}
    roles: dict  # person id → {role}


def _load_current(organisation: Organisation) -> _Current:
    current = _Current({}, {}, {}, {})
    through = Person.languages.through
    for person_id, code in through.objects.filter(person__organisation=organisation).values_list(
        "person_id", "language__code"
    ):
        current.languages.setdefault(person_id, set()).add(code)
    for person_id, skill_id, level in OfferedSkill.objects.filter(
        person__organisation=organisation
    ).values_list("person_id", "skill_id", "level"):
        current.offered.setdefault(person_id, {})[skill_id] = level
    for person_id, skill_id, priority in WantedSkill.objects.filter(
        person__organisation=organisation
    ).values_list("person_id", "skill_id", "priority"):
        current.wanted.setdefault(person_id, {})[skill_id] = priority
    for person_id, role in RoleMembership.objects.filter(person__organisation=organisation).values_list(
        "person_id", "role"
    ):
        current.roles.setdefault(person_id, set()).add(role)
    return current


@dataclass
class _Plan:
    scalar_changes: dict = field(default_factory=dict)  # person id → {field: value}
    department_changes: dict = field(default_factory=dict)  # person id → ref
    manager_rows: list = field(default_factory=list)
    languages: dict = field(default_factory=dict)  # key (person id or employee id) → {code}
    offered: dict = field(default_factory=dict)
    wanted: dict = field(default_factory=dict)
    roles: dict = field(default_factory=dict)  # key → {role} to add
    email_changes: dict = field(default_factory=dict)  # person id → new e-mail, once confirmed


def _plan(rows: list[_Row], checker: _Checker, current: _Current, report: ImportReport) -> _Plan:
    plan = _Plan()
    people_by_id = checker.people_by_id
    for row in rows:
        person = row.person
        key = row.employee_id if person is None else person["id"]
        changed = False
        if person is not None:
            scalars = {
                name: value
                for name, value in row.fields.items()
                if name != "department" and person[name] != value
            }
            if scalars:
                plan.scalar_changes[key] = scalars
                changed = True
            if "department" in row.fields and row.department != person["department_id"]:
                plan.department_changes[key] = row.department
                changed = True
        if row.manager_value is not None:
            plan.manager_rows.append(row)
            if person is not None:
                changed |= row.manager_key != checker.node(people_by_id.get(person["manager_id"]))
        for wanted_value, existing, target in (
            (row.languages, current.languages, plan.languages),
            (row.offered, current.offered, plan.offered),
            (row.wanted, current.wanted, plan.wanted),
        ):
            if wanted_value is None:
                continue
            if person is None:
                target[key] = wanted_value
            elif wanted_value != existing.get(key, type(wanted_value)()):
                target[key] = wanted_value
                changed = True
        missing_roles = row.roles - current.roles.get(key, set())
        if missing_roles:
            plan.roles[key] = missing_roles
            changed |= person is not None
        if row.email_change:
            plan.email_changes[key] = row.email_change
            report.pending_email_changes.append(row.email_change)
            changed = True
        if checker.importer_rank is not None:
            if changed and person is not None and checker.ranks.get(key, 0) > checker.importer_rank:
                checker.error(
                    row.line,
                    "employee_id",
                    row.employee_id,
                    _("This person's role is higher than yours: only someone of their role may change them."),
                )
            if role_rank(missing_roles) > checker.importer_rank:
                checker.error(
                    row.line,
                    "roles",
                    ", ".join(sorted(missing_roles)),
                    _("Nobody may give a role higher than their own."),
                )
        if person is None:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
    return plan


# ---------------------------------------------------------------------------------------------
# Writing: bulk queries only, in the caller's transaction.


def _levels(new_rows: list[_Row]) -> list[list[_Row]]:
    """New rows grouped by depth below people who already exist (or nobody): managers first."""
    by_employee_id = {row.employee_id: row for row in new_rows}
    depth: dict[str, int] = {}
    for row in new_rows:
        chain, node = [], row
        while node is not None and node.employee_id not in depth:
            chain.append(node)
            node = by_employee_id.get(node.manager_key) if node.manager_key else None
        level = depth[node.employee_id] if node is not None else -1
        for member in reversed(chain):
            level += 1
            depth[member.employee_id] = level
    levels: list[list[_Row]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for row in new_rows:
        levels[depth[row.employee_id]].append(row)
    return levels


@dataclass
class _Written:
    """What the import has created and committed so far: removed again if a later step fails."""

    departments: list = field(default_factory=list)  # ids, parents first
    skills: list = field(default_factory=list)
    category: int | None = None  # the "Imported" skill category, when the import created it
    languages: list = field(default_factory=list)  # codes that were not in the table
    accounts: list = field(default_factory=list)  # user ids
    people: list = field(default_factory=list)  # person ids


@dataclass
class _References:
    departments: dict  # key → id
    skills: dict  # key → id
    language_ids: dict  # code → id
    ids: dict  # reporting-graph node (employee id, or "#pk") → person id


def _ref_id(ref, table: dict):
    return table[ref[1]] if isinstance(ref, tuple) else ref


def _write_references(organisation: Organisation, rows: list[_Row], checker: _Checker, written: _Written):
    """New departments, skills and languages: few rows, written first."""
    departments = dict(checker.departments)
    for key, (name, parent_key) in checker.new_departments.items():  # parents come first
        departments[key] = Department.objects.create(
            organisation=organisation, name=name, parent_id=departments.get(parent_key)
        ).id
        written.departments.append(departments[key])

    skills = dict(checker.skill_ids)
    if checker.new_skills:
        category, created = SkillCategory.objects.get_or_create(
            organisation=organisation, name=IMPORTED_SKILL_CATEGORY
        )
        if created:
            written.category = category.pk
        slugs = set(Skill.objects.filter(organisation=organisation).values_list("slug", flat=True))
        new = []
        for name in checker.new_skills.values():
            base = slugify(name)[:110] or "skill"
            slug, number = base, 2
            while slug in slugs:
                slug, number = f"{base}-{number}", number + 1
            slugs.add(slug)
            # Waits for an org admin's review before anyone else is offered it (skill_review.py).
            new.append(
                Skill(
                    organisation=organisation,
                    category=category,
                    name=name,
                    slug=slug,
                    status=SkillStatus.PENDING,
                )
            )
        Skill.objects.bulk_create(new)
        names = {name.lower() for name in checker.new_skills.values()}
        for pk, name in Skill.objects.filter(organisation=organisation).values_list("id", "name"):
            if name.lower() in names:
                skills[name.lower()] = pk
                written.skills.append(pk)

    missing = set(checker.new_languages) - set(
        Language.objects.filter(code__in=list(checker.new_languages)).values_list("code", flat=True)
    )
    Language.objects.bulk_create(
        [Language(code=code, name=name) for code, name in checker.new_languages.items()],
        ignore_conflicts=True,
    )
    written.languages.extend(missing)
    # Node key (employee id, or "#pk" for someone without one) → person id, for the reporting line.
    ids = {checker.node(person): pk for pk, person in checker.people_by_id.items()}
    ids.update({row.employee_id: row.person["id"] for row in rows if row.person is not None})
    return _References(departments, skills, dict(Language.objects.values_list("code", "id")), ids)


def _write_lists(plan: _Plan, keys: list, refs: _References, person_id) -> None:
    """Replace the languages and skills, and add the roles, of the people with these plan keys."""
    through = Person.languages.through
    for chunk in chunks([key for key in keys if isinstance(key, int) and key in plan.languages], QUERY_CHUNK):
        through.objects.filter(person_id__in=chunk).delete()
    through.objects.bulk_create(
        [
            through(person_id=person_id(key), language_id=refs.language_ids[code])
            for key in keys
            for code in plan.languages.get(key, ())
        ]
    )
    for model, table, amount in (
        (OfferedSkill, plan.offered, "level"),
        (WantedSkill, plan.wanted, "priority"),
    ):
        for chunk in chunks([key for key in keys if isinstance(key, int) and key in table], QUERY_CHUNK):
            model.objects.filter(person_id__in=chunk).delete()
        model.objects.bulk_create(
            [
                model(person_id=person_id(key), skill_id=_ref_id(ref, refs.skills), **{amount: value})
                for key in keys
                for ref, value in table.get(key, {}).items()
            ]
        )
    RoleMembership.objects.bulk_create(
        [
            RoleMembership(person_id=person_id(key), role=role)
            for key in keys
            for role in plan.roles.get(key, ())
        ],
        ignore_conflicts=True,
    )


def _write_new_people(
    organisation: Organisation, levels: list[list[_Row]], plan: _Plan, refs: _References, written: _Written
) -> None:
    """One transaction's worth of new people, given level by level of the reporting line (managers
    first, so that each row is written once with its manager already known): their accounts, their
    rows and their lists."""
    User = get_user_model()
    chunk = [row for level in levels for row in level]
    # Accounts: new people sign in with their email once someone sets a password for them.
    new_accounts = [row for row in chunk if row.user_id is None]
    unusable = make_password(None)
    User.objects.bulk_create(
        [User(username=row.email, email=row.email, password=unusable) for row in new_accounts]
    )
    user_ids = {}
    for emails in chunks([row.email for row in new_accounts], QUERY_CHUNK):
        user_ids.update(User.objects.filter(username__in=emails).values_list("username", "id"))
    written.accounts.extend(user_ids.values())
    created = {}
    for level in levels:
        Person.objects.bulk_create(
            [
                Person(
                    organisation=organisation,
                    user_id=row.user_id or user_ids[row.email],
                    employee_id=row.employee_id,
                    department_id=_ref_id(row.department, refs.departments),
                    manager_id=refs.ids[row.manager_key] if row.manager_key else None,
                    **{name: value for name, value in row.fields.items() if name != "department"},
                )
                for row in level
            ]
        )
        for employee_ids in chunks([row.employee_id for row in level], QUERY_CHUNK):
            created.update(
                Person.objects.filter(organisation=organisation, employee_id__in=employee_ids).values_list(
                    "employee_id", "id"
                )
            )
        refs.ids.update(created)
    written.people.extend(created.values())
    _write_lists(plan, [row.employee_id for row in chunk], refs, lambda key: created[key])


def _write_batches(levels: list[list[_Row]]) -> list[list[list[_Row]]]:
    """The levels cut into transactions of at most WRITE_CHUNK rows, keeping the managers-first order."""
    batches: list[list[list[_Row]]] = [[]]
    room = WRITE_CHUNK
    for level in levels:
        start = 0
        while start < len(level):
            if room == 0:
                batches.append([])
                room = WRITE_CHUNK
            part = level[start : start + room]
            batches[-1].append(part)
            start += len(part)
            room -= len(part)
    return [batch for batch in batches if batch]


def _write_changes(
    rows: list[_Row], checker: _Checker, plan: _Plan, refs: _References, history: "_History"
) -> None:
    """The changes to people who existed before the import, in the import's last transaction, with
    their HR history (mentora.people.history)."""
    now = timezone.now()
    after: dict[int, dict] = {}
    if plan.email_changes:
        # The e-mail is the sign-in name: the import only starts its confirmed change.
        transaction.on_commit(lambda: _email_changes_start(plan.email_changes))
    changed_ids = set(plan.scalar_changes) | set(plan.department_changes)
    if changed_ids:
        updates, fields = [], {"updated_at"}
        for person_id in changed_ids:
            person = Person(id=person_id, updated_at=now)
            for name, value in plan.scalar_changes.get(person_id, {}).items():
                setattr(person, name, value)
                fields.add(name)
            if person_id in plan.department_changes:
                person.department_id = _ref_id(plan.department_changes[person_id], refs.departments)
                fields.add("department_id")
            after[person_id] = {
                **plan.scalar_changes.get(person_id, {}),
                "department_id": person.department_id,
            }
            updates.append(person)
        # bulk_update writes every listed field, so fill the unchanged ones with their current value
        for person in updates:
            current = checker.people_by_id[person.id]
            for name in fields - {"updated_at", "department_id"}:
                if name not in plan.scalar_changes.get(person.id, {}):
                    setattr(person, name, current[name])
            if "department_id" in fields and person.id not in plan.department_changes:
                person.department_id = current["department_id"]
        Person.objects.bulk_update(updates, sorted(fields), batch_size=500)

    managers = []
    for row in plan.manager_rows:
        manager_id = refs.ids[row.manager_key] if row.manager_key else None
        if row.person is not None and row.person["manager_id"] != manager_id:
            managers.append(Person(id=row.person["id"], manager_id=manager_id, updated_at=now))
            after.setdefault(row.person["id"], {})["manager_id"] = manager_id
    Person.objects.bulk_update(managers, ["manager_id", "updated_at"], batch_size=1000)
    hr_changes_record(
        organisation_id=checker.organisation.pk,
        before={person_id: checker.people_by_id[person_id] for person_id in after},
        after=after,
        source=HrChangeSource.IMPORT,
        actor_id=history.actor_id,
        people_import_id=history.people_import_id,
        effective_dates={
            row.person["id"]: row.effective_date
            for row in rows
            if row.person is not None and row.effective_date is not None
        },
    )
    _write_lists(plan, [row.person["id"] for row in rows if row.person is not None], refs, lambda key: key)


@dataclass(frozen=True)
class _History:
    """Who the HR history names for the import's changes: the importer, and the import job."""

    actor_id: int | None
    people_import_id: int | None


def _write(
    organisation: Organisation,
    rows: list[_Row],
    checker: _Checker,
    plan: _Plan,
    *,
    refs: _References,
    written: _Written,
    progress: Progress,
    history: _History,
) -> None:
    """Everything after the references, in bounded transactions (SQLite has one writer at a time,
    so one transaction for 50,000 new people would block every other writer for its whole length).
    New people go first, managers before their reports, WRITE_CHUNK at a time; the changes to people
    who already existed go last, in one transaction. The caller removes what was written if a step
    fails (all or nothing)."""
    done = 0
    for batch in _write_batches(_levels([row for row in rows if row.person is None])):
        with transaction.atomic():
            _write_new_people(organisation, batch, plan, refs, written)
        done += sum(len(level) for level in batch)
        progress(
            WRITE_PROGRESS + 35 * done // max(len(rows), 1),
            ngettext("Writing: %d row", "Writing: %d rows", done) % done,
        )
    with transaction.atomic():
        _write_changes(rows, checker, plan, refs, history)


def _remove(written: _Written) -> None:
    """Undo what committed steps of a failed import wrote, newest first: the import is all or nothing."""
    User = get_user_model()
    for chunk in chunks(written.people[::-1], WRITE_CHUNK):
        with transaction.atomic():
            Person.objects.filter(id__in=chunk).delete()
    for chunk in chunks(written.accounts, WRITE_CHUNK):
        User.objects.filter(id__in=chunk).delete()
    with transaction.atomic():
        Skill.objects.filter(id__in=written.skills).delete()
        SkillCategory.objects.filter(id=written.category).delete()
        for department_id in reversed(written.departments):  # children first
            Department.objects.filter(id=department_id).delete()
        # Languages are shared by every organisation: remove only those nobody speaks yet.
        Language.objects.filter(code__in=written.languages, speakers__isnull=True).delete()


# ---------------------------------------------------------------------------------------------


def _email_changes_start(changes: dict[int, str]) -> None:
    """After the import commits: ask each person to confirm their new sign-in e-mail."""
    for person in Person.objects.filter(pk__in=changes):
        try:
            email_change_start(person=person, new_email=changes[person.pk], requested_by=_("An HR import"))
        except ValidationError:
            # Taken by someone else since the check: the person keeps their e-mail.
            logger.warning("Import: the new e-mail of person %s is no longer free", person.pk)


def _issue_order(issue: ImportIssue) -> tuple[int, int]:
    return issue.line, COLUMNS.index(issue.column) if issue.column in COLUMNS else -1


def _no_progress(percent: int, stage: str) -> None:
    pass


def _state(organisation: Organisation) -> tuple:
    """A cheap fingerprint of everything the check reads: when it is the same before the check and
    inside the write transaction, the plan made outside the transaction still holds."""
    org_people = Person.objects.filter(organisation=organisation)
    fingerprint: list = []
    for queryset, stamp in (
        (org_people, "updated_at"),
        (Department.objects.filter(organisation=organisation), None),
        (Skill.objects.filter(organisation=organisation), None),
        (SkillAlias.objects.filter(organisation=organisation), None),
        (Language.objects.all(), None),
        (Person.languages.through.objects.filter(person__organisation=organisation), None),
        (OfferedSkill.objects.filter(person__organisation=organisation), None),
        (WantedSkill.objects.filter(person__organisation=organisation), None),
        (RoleMembership.objects.filter(person__organisation=organisation), None),
        (get_user_model().objects.all(), None),
    ):
        aggregates = {"count": Count("pk"), "last": Max("pk")}
        if stamp:
            aggregates["changed"] = Max(stamp)
        fingerprint.append(tuple(queryset.aggregate(**aggregates).values()))
    return tuple(fingerprint)


def _prepare(
    organisation: Organisation,
    data: bytes,
    filename: str,
    report: ImportReport,
    progress: Progress,
    importer: Person | None = None,
) -> tuple[list[_Row], _Checker, _Plan] | None:
    """Read, check and plan, writing nothing; None when the report has errors."""
    lines: list[tuple[int, list[str]]] = []
    try:
        for line in read_rows(data, filename, max_rows=settings.PEOPLE_IMPORT_MAX_ROWS):
            lines.append(line)
            if len(lines) % PROGRESS_EVERY == 0:
                progress(
                    10,
                    ngettext("Reading the file: %d row", "Reading the file: %d rows", len(lines))
                    % len(lines),
                )
    except Unreadable as unreadable:
        report.errors = [ImportIssue(unreadable.line, "", visible(unreadable.value), unreadable.message)]
        return None
    if not lines or lines[0][0] != 1 or not any(lines[0][1]):
        report.errors = [
            ImportIssue(1, "", "", _("The file is empty: the first line must name the columns."))
        ]
        return None
    columns, header_issues, missing_required = _parse_header([visible(cell) for cell in lines[0][1]])
    if missing_required:
        report.errors = header_issues
        return None

    progress(30, ngettext("Checking %d row", "Checking %d rows", len(lines) - 1) % (len(lines) - 1))
    checker = _Checker(organisation, importer)
    checker.issues.extend(header_issues)
    rows = checker.check(columns, lines[1:])
    checker.check_accounts(rows)
    report.rows = len(rows)
    if checker.issues:
        report.errors = sorted(checker.issues, key=_issue_order)
        return None
    report.new_skills = sorted(checker.new_skills.values(), key=str.lower)
    report.new_languages = sorted(checker.new_languages)
    report.new_departments = [name for name, _parent in checker.new_departments.values()]
    plan = _plan(rows, checker, _load_current(organisation), report)
    if checker.issues:  # who-edits-whom refusals, known once the changes are
        report.errors = sorted(checker.issues, key=_issue_order)
        return None
    return rows, checker, plan


def import_too_large_message(max_bytes: int) -> str:
    return _("The file is larger than %(limit)d MB: split it and import the parts one after the other.") % {
        "limit": max_bytes // (1024 * 1024)
    }


def people_import(
    *,
    organisation: Organisation,
    file,
    filename: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    importer: Person | None = None,
    people_import_id: int | None = None,
) -> ImportReport:
    """Create or update (by employee id) the organisation's people from an HR export.

    All or nothing: when any row is bad, nothing is written and the report lists every problem.
    A dry run checks and counts exactly as an import would, and writes nothing.
    With an `importer`, rows changing someone of a higher role, or granting a role above the
    importer's, are refused. An existing person's new e-mail is not written: once the import commits,
    a confirmation link goes to that address (see `ImportReport.pending_email_changes`).
    The file is read and checked outside any transaction, so that other people's writes go on
    meanwhile (SQLite has one writer at a time); the planned writes then run in short transactions
    (see `_write`), and if one fails, what the others wrote is removed again.
    The changes of department, manager, seniority, job title and leaving date are kept as HR history
    naming the importer and the import job `people_import_id`, effective on the row's
    `effective_date` (else today).
    """
    report = ImportReport(dry_run=dry_run)
    progress = progress or _no_progress
    max_bytes = settings.PEOPLE_IMPORT_MAX_BYTES
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        report.errors = [ImportIssue(1, "", "", import_too_large_message(max_bytes))]
        return report
    state = _state(organisation)
    prepared = _prepare(organisation, data, filename or "", report, progress, importer)
    if prepared is None or dry_run:
        return report
    progress(WRITE_PROGRESS, ngettext("Writing %d row", "Writing %d rows", report.rows) % report.rows)
    written = _Written()
    try:
        with transaction.atomic():
            if _state(organisation) != state:
                # Someone changed the organisation during the check: check again, inside the
                # transaction (which holds SQLite's write lock, so nothing changes any more).
                report = ImportReport(dry_run=dry_run)
                prepared = _prepare(organisation, data, filename or "", report, progress, importer)
                if prepared is None:
                    return report
            refs = _write_references(organisation, prepared[0], prepared[1], written)
        history = _History(actor_id=importer.pk if importer else None, people_import_id=people_import_id)
        _write(organisation, *prepared, refs=refs, written=written, progress=progress, history=history)
        report.people = [
            ImportedPerson(row=row.line, employee_id=row.employee_id, person_id=refs.ids[row.employee_id])
            for row in prepared[0]
        ]
    except Exception as failure:
        _remove(written)
        if not isinstance(failure, IntegrityError):
            raise
        # Someone wrote between two of the import's transactions; a constraint refused the clash.
        report = ImportReport(dry_run=dry_run)
        report.errors = [
            ImportIssue(
                1,
                "",
                "",
                _(
                    "Nothing was imported: the organisation's people changed during the import. "
                    "Import the file again."
                ),
            )
        ]
    finally:
        # Written (or written and removed again) in several transactions: the figures changed either way.
        organisation_figures_changed(organisation_id=organisation.pk)
    return report

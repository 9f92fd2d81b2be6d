"""Issue 9 §3.10: a count in a UI string or an API message takes its language's plural form
("1 mentor", "5 mentors"), never "(s)" or one fixed form: ngettext in Python, {% blocktranslate count %}
in templates. These tests read every translatable string of mentora/ and name each one that counts
something with a fixed form."""

import ast
import re
from pathlib import Path

MENTORA = Path(__file__).resolve().parents[2] / "mentora"

# Nouns (and the one adjective, "free" places) that follow a number in Mentora's UI strings.
COUNTED = (
    r"(?:answers?|applications?|characters?|columns?|days?|hours?|invitations?|meetings?|mentees?|"
    r"mentors?|minutes?|months?|people|persons?|pairs?|places?|rows?|steps?|weeks?|free)\b"
)
# A placeholder naming a person ("when %(other)s answers") is not a number.
NUMBER_IN_PYTHON = re.compile(r"%(?:\((?!other|name|partner|who)\w+\))?[sd] " + COUNTED)
NUMBER_IN_TEMPLATE = re.compile(r"\{\{ *\w+ *\}\} " + COUNTED)
BLOCK = re.compile(r"\{% *blocktranslate(?P<args>[^%]*)%\}(?P<body>.*?)\{% *endblocktranslate *%\}", re.S)
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}


def python_messages():
    """Every literal message handed to gettext in mentora/ (the engine has no translations)."""
    for path in MENTORA.rglob("*.py"):
        if "matching" in path.relative_to(MENTORA).parts[:1] or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT_NAMES:
                for argument in node.args:
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                        yield f"{path.relative_to(MENTORA)}:{node.lineno}", argument.value


def template_blocks():
    for path in MENTORA.rglob("*.html"):
        for block in BLOCK.finditer(path.read_text()):
            yield path.relative_to(MENTORA), block["args"], block["body"]


def test_no_python_message_counts_with_a_fixed_form():
    fixed = [
        f"{where}: {message!r}" for where, message in python_messages() if NUMBER_IN_PYTHON.search(message)
    ]
    assert fixed == []


def test_no_ui_string_writes_an_s_in_brackets():
    bracketed = [f"{where}: {message!r}" for where, message in python_messages() if "(s)" in message]
    bracketed += [f"{path}: {body!r}" for path, _args, body in template_blocks() if "(s)" in body]
    assert bracketed == []


def test_no_template_counts_outside_blocktranslate_count():
    fixed = [
        f"{path}: {body!r}"
        for path, args, body in template_blocks()
        if not re.search(r"\bcount\b", args) and NUMBER_IN_TEMPLATE.search(body)
    ]
    assert fixed == []

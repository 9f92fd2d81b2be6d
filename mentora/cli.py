"""`mentora`: the command-line entry point (see pyproject's [project.scripts]).

Each sub-command is a Django management command; this only sets the settings module and dispatches.
"""

import os
import sys

COMMANDS = {
    "demo-org": ("demo_org", "generate a realistic synthetic organisation: demo-org --people N --seed S"),
    "demo-logins": ("demo_logins", "print the demo log-ins"),
    "import": ("import_people", "import people from a CSV or XLSX export: import ORG_SLUG FILE [--dry-run]"),
}

USAGE = (
    "usage: mentora COMMAND [ARGS...]   (mentora COMMAND --help for a command's options)\n\ncommands:\n"
    + "".join(f"  {name:<12} {summary}\n" for name, (_command, summary) in COMMANDS.items())
)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return 0
    if args[0] not in COMMANDS:
        sys.stderr.write(f"mentora: unknown command {args[0]!r}\n\n{USAGE}")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mentora", COMMANDS[args[0]][0], *args[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())

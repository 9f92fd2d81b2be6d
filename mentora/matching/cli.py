"""Command line: solve, edges, shortlist, validate and generate instances.

Outputs are written to a temporary file beside the target and renamed into place, so a failed
run never leaves a half-written file.  Every mistake in the input (arguments, files, instance)
ends in one line naming the argument, file or field, and exit status 2: never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from mentora.matching.instance import (
    COMPONENTS,
    FORMATS,
    InstanceError,
    JsonFileError,
    instance_to_json,
    load_instance,
    read_json_file,
)

USAGE_ERROR = 2


class UsageError(Exception):
    """A mistake in the arguments or a file they name; the message is the whole line to print."""


def check_out_path(path: str) -> None:
    """Refuse an --out that can't take a file before any work is done."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"--out {path}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise UsageError(f"--out {path}: the directory {str(target.parent)!r} does not exist")


def read_exposure(path: str) -> dict[str, int]:
    """The --exposure file: a JSON object {mentor_id: times already shown (integer >= 0)}."""
    try:
        raw = read_json_file(path)
    except JsonFileError as exc:
        raise UsageError(f"--exposure {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise UsageError(f"--exposure {path}: must be a JSON object {{mentor_id: times shown}}")
    for mentor_id, times in raw.items():
        if not isinstance(times, int) or isinstance(times, bool) or times < 0:
            raise UsageError(
                f"--exposure {path}: mentor {mentor_id!r}: times shown must be an integer >= 0, got {times!r}"
            )
    return raw


def _count(text: str, *, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be >= {least}, got {value}")
    return value


def _positive(text: str) -> int:
    return _count(text, least=1)


def _non_negative(text: str) -> int:
    return _count(text, least=0)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line (argparse's default prints the whole usage first)."""
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see --help)\n")


def write_atomically(path: str | Path, text: str) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(
        dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cmd_solve(args: argparse.Namespace) -> int:
    from mentora.matching.engine import solve

    check_out_path(args.out)
    result = solve(load_instance(args.instance))
    write_atomically(args.out, json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    obj = result["objective"]
    found = len(result.get("pairs", result.get("groups", [])))
    seconds = result["solver"]["timings_s"]["total"]
    print(
        f"{args.out}: total score {obj['total_score']}, {found} pairs/groups, "
        f"{len(result['unmatched'])} unmatched, {seconds} s",
        file=sys.stderr,
    )
    return 0


def _cmd_edges(args: argparse.Namespace) -> int:
    from mentora.matching.engine import prepare

    check_out_path(args.out)
    prep = prepare(load_instance(args.instance))
    e, ids = prep.edges, prep.pop.ids
    peer = prep.program.format in ("peer", "circles")
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    # the integer scores the solvers use (millionths): re-solving from this file reproduces the result
    header = ("person_a", "person_b") if peer else ("mentee", "mentor")
    out.writerow([*header, "score_millionths", *COMPONENTS])
    units = e.units.tolist()
    for k in range(len(e)):
        out.writerow([ids[e.u[k]], ids[e.v[k]], units[k], *(f"{x:.4f}" for x in e.components[k])])
    write_atomically(args.out, buf.getvalue())
    print(f"{args.out}: {len(e)} eligible candidate edges", file=sys.stderr)
    return 0


def _cmd_shortlist(args: argparse.Namespace) -> int:
    from mentora.matching.shortlist import Shortlister

    if args.out:
        check_out_path(args.out)
    exposure = read_exposure(args.exposure) if args.exposure else None
    shortlister = Shortlister(load_instance(args.instance))
    entries = shortlister.shortlist(args.mentee, k=args.k, exposure=exposure)
    text = json.dumps([entry.to_json() for entry in entries], indent=1, ensure_ascii=False) + "\n"
    if args.out:
        write_atomically(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    instance = load_instance(args.instance)
    print(f"{args.instance}: valid, {len(instance.people)} people, format {instance.program.format}")
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from mentora.matching.generate import generate_instance

    check_out_path(args.out)
    instance = generate_instance(
        mentees=args.mentees,
        mentors=args.mentors,
        peers=args.peers,
        seed=args.seed,
        program_format=args.format,
    )
    write_atomically(args.out, json.dumps(instance_to_json(instance), ensure_ascii=False) + "\n")
    print(f"{args.out}: {len(instance.people)} people", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m mentora.matching", description="Mentora's matching engine (see docs/matching.md)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("solve", help="match an instance and write the result JSON")
    p.add_argument("instance")
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_solve)
    p = sub.add_parser(
        "edges", help="write every eligible candidate edge with its score and components (CSV)"
    )
    p.add_argument("instance")
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_edges)
    p = sub.add_parser("shortlist", help="top-k eligible mentors for one mentee, with reasons")
    p.add_argument("instance")
    p.add_argument("--mentee", required=True, help="the mentee's id")
    p.add_argument("--k", type=_positive, default=5, help="how many mentors (>= 1)")
    p.add_argument("--exposure", help="JSON file {mentor_id: times already shown}")
    p.add_argument("--out")
    p.set_defaults(func=_cmd_shortlist)
    p = sub.add_parser("validate", help="check an instance file and report the first error")
    p.add_argument("instance")
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("generate", help="write a realistic synthetic instance")
    p.add_argument("--mentees", type=_non_negative, default=0)
    p.add_argument("--mentors", type=_non_negative, default=0)
    p.add_argument("--peers", type=_non_negative, default=0)
    p.add_argument("--format", choices=FORMATS)
    p.add_argument("--seed", type=_non_negative, default=0)
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_generate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InstanceError as exc:
        print(f"{args.instance}: invalid instance: {exc}", file=sys.stderr)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except OSError as exc:  # e.g. --out on a read-only disk: the message names the file
        print(f"error: {exc}", file=sys.stderr)
    return USAGE_ERROR

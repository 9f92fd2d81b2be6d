"""Command line: solve, edges, shortlist, validate and generate instances.

Outputs are written to a temporary file beside the target and renamed into place, so a failed
run never leaves a half-written file.
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

from mentora.matching.instance import COMPONENTS, FORMATS, InstanceError, instance_to_json, load_instance


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

    prep = prepare(load_instance(args.instance))
    e, ids = prep.edges, prep.pop.ids
    peer = prep.program.format in ("peer", "circles")
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow([*(("person_a", "person_b") if peer else ("mentee", "mentor")), "score", *COMPONENTS])
    for k in range(len(e)):
        out.writerow([ids[e.u[k]], ids[e.v[k]], f"{e.score[k]:.6f}", *(f"{x:.4f}" for x in e.components[k])])
    write_atomically(args.out, buf.getvalue())
    print(f"{args.out}: {len(e)} eligible candidate edges", file=sys.stderr)
    return 0


def _cmd_shortlist(args: argparse.Namespace) -> int:
    from mentora.matching.shortlist import Shortlister

    shortlister = Shortlister(load_instance(args.instance))
    exposure = json.loads(Path(args.exposure).read_text()) if args.exposure else None
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
    parser = argparse.ArgumentParser(
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
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--exposure", help="JSON file {mentor_id: times already shown}")
    p.add_argument("--out")
    p.set_defaults(func=_cmd_shortlist)
    p = sub.add_parser("validate", help="check an instance file and report the first error")
    p.add_argument("instance")
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("generate", help="write a realistic synthetic instance")
    p.add_argument("--mentees", type=int, default=0)
    p.add_argument("--mentors", type=int, default=0)
    p.add_argument("--peers", type=int, default=0)
    p.add_argument("--format", choices=FORMATS)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_generate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InstanceError as exc:
        print(f"invalid instance: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

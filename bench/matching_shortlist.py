"""Shortlist latency: top-5 mentors with reasons for one mentee, with exposure spreading.

    .venv/bin/python bench/matching_shortlist.py            # 20,000 mentees x 5,000 mentors
    .venv/bin/python bench/matching_shortlist.py --quick    # 2,000 x 600

Compiles the instance once, then serves shortlists to 200 mentees in turn, feeding back how often
each mentor has been shown; prints the latency per shortlist and how exposure is spread.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--mentees", type=int, default=20_000)
    parser.add_argument("--mentors", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    if args.quick:
        args.mentees, args.mentors = 2_000, 600

    from mentora.matching.generate import generate_instance
    from mentora.matching.shortlist import Shortlister

    inst = generate_instance(mentees=args.mentees, mentors=args.mentors, seed=1)
    t = time.perf_counter()
    shortlister = Shortlister(inst)
    compile_s = time.perf_counter() - t
    mentees = [p.id for p in inst.people if "mentee" in p.roles][: args.requests]
    shown: Counter[str] = Counter()
    latencies = []
    for mentee in mentees:
        t = time.perf_counter()
        entries = shortlister.shortlist(mentee, k=5, exposure=shown)
        latencies.append(time.perf_counter() - t)
        shown.update(e.mentor for e in entries)
    ms = np.array(latencies) * 1000
    capacity = {p.id: p.capacity for p in inst.people}
    ratio = [shown[m] / capacity[m] for m in shown]
    print(f"machine: {os.cpu_count()} cores (shared with other work)")
    print(f"\n== shortlist, {args.mentees:,} mentees x {args.mentors:,} mentors ==")
    print(f"compile once: {compile_s:.2f} s")
    print(
        f"per shortlist (top 5 with reasons): median {np.median(ms):.1f} ms, "
        f"p95 {np.percentile(ms, 95):.1f} ms, max {ms.max():.1f} ms over {len(ms)} requests"
    )
    print(
        f"exposure: {len(shown)} distinct mentors shown; max shown/capacity {max(ratio):.1f} "
        f"(spread allowance 2.0 x free places)"
    )


if __name__ == "__main__":
    main()

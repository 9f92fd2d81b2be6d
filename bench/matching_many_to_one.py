"""Many-to-one matching benchmark: end-to-end time of a certified optimum, peak memory, and an
independent optimum over all eligible pairs computed in the same run.

    .venv/bin/python bench/matching_many_to_one.py          # 2,000x600 ... 200,000x50,000
    .venv/bin/python bench/matching_many_to_one.py --size 20000 5000
    .venv/bin/python bench/matching_many_to_one.py --quick  # seconds: small sizes only
    .venv/bin/python bench/matching_many_to_one.py --size 200000 50000 --pricing-rounds 3  # a budget

With --pricing-rounds N the engine stops after N pricing rounds if the optimum is not proven by then,
and prints the proven upper bound and the gap to it instead (the caller's budget of engine.solve).

Every size runs in its own subprocess so that its peak RSS is its own. "End to end" is
engine.solve(): compiling the instance, candidate generation, scoring, min cost flow with pricing
rounds until the certificate (or the budget), reasons, unmatched diagnosis and the fairness report
(generating the synthetic instance is not included). Where computable (<= 20,000 x 5,000) the same run
then enumerates ALL eligible pairs and solves the assignment over them as one min cost flow (no pricing)
and, up to 5,000 x 1,500, as an LP with HiGHS (each in a separate process, since ortools and highspy
cannot share one); above that the independent figure is the proven LP bound of the certificate.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {(2_000, 600): 1.0, (20_000, 5_000): 10.0, (200_000, 50_000): 180.0}
EXACT_LIMIT = (20_000, 5_000)
HIGHS_LIMIT = (5_000, 1_500)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_size(
    mentees: int, mentors: int, seed: int, with_exact: bool, with_highs: bool, pricing_rounds: int | None
) -> dict:
    import numpy as np

    from mentora.matching.engine import prepare, solve
    from mentora.matching.generate import generate_instance

    t = time.perf_counter()
    inst = generate_instance(mentees=mentees, mentors=mentors, seed=seed)
    generated = time.perf_counter() - t
    rss_before = peak_rss_mb()
    t, cpu = time.perf_counter(), time.process_time()
    result = solve(inst, pricing_rounds=pricing_rounds)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    out = {
        "mentees": mentees,
        "mentors": mentors,
        "generate_s": round(generated, 2),
        "solve_s": round(elapsed, 3),
        "solve_cpu_s": round(cpu, 3),
        "timings": result["solver"]["timings_s"],
        "candidate_edges": result["solver"]["candidate_edges"],
        "pairs": len(result["pairs"]),
        "objective": result["objective"]["total_score"],
        "exact": result["objective"]["exact"],
        "upper_bound": result["objective"]["upper_bound"],
        "gap_percent": result["objective"]["gap_percent"],
        "certificate": result["certificate"],
        "peak_rss_mb_after_generate": round(rss_before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if with_exact:
        # every eligible pair, enumerated and scored without sampling, then one flow in another process
        t = time.perf_counter()
        prep = prepare(inst.with_program(candidate_limit=None))
        out["enumerate_all_pairs_s"] = round(time.perf_counter() - t, 3)
        out["all_eligible_pairs"] = len(prep.edges)
        with tempfile.NamedTemporaryFile(suffix=".npz", delete=False) as fh:
            np.savez(
                fh,
                u=np.searchsorted(prep.left, prep.edges.u),
                v=np.searchsorted(prep.right, prep.edges.v),
                w=prep.edges.score,
                cap=prep.pop.capacity[prep.right],
                n_left=len(prep.left),
            )
        del prep
        for solver in ("flow", "highs") if with_highs else ("flow",):
            done = subprocess.run(
                [sys.executable, __file__, f"--{solver}", fh.name],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode == 0:
                out[solver] = json.loads(done.stdout)
            else:
                out[solver] = {"error": done.stderr.strip().splitlines()[-1:]}
        os.unlink(fh.name)
    return out


def flow_all_pairs(path: str) -> dict:
    """One OR-Tools min cost flow over every eligible pair (no candidates, no pricing)."""
    import numpy as np

    from mentora.matching.flow import assign, scaled

    data = np.load(path)
    t, cpu = time.perf_counter(), time.process_time()
    result = assign(data["u"], data["v"], data["w"], data["cap"], n_left=int(data["n_left"]))
    return {
        "flow_s": round(time.perf_counter() - t, 3),
        "flow_cpu_s": round(time.process_time() - cpu, 3),
        "objective": round(float(data["w"][result.chosen].sum()), 6),
        "total_scaled": int(scaled(data["w"][result.chosen]).sum()),
    }


def highs_lp(path: str) -> dict:
    """Solve the LP relaxation of the assignment with HiGHS (own process: highspy and ortools clash)."""
    import highspy
    import numpy as np
    import scipy.sparse as sp

    data = np.load(path)
    u, v, w, cap, n_left = data["u"], data["v"], data["w"], data["cap"], int(data["n_left"])
    n_right, m = len(cap), len(w)
    t = time.perf_counter()
    rows = np.concatenate([u, n_left + v])
    cols = np.concatenate([np.arange(m), np.arange(m)])
    a = sp.csc_matrix((np.ones(2 * m), (rows, cols)), shape=(n_left + n_right, m))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = m, n_left + n_right
    lp.col_cost_ = -w
    lp.col_lower_ = np.zeros(m)
    lp.col_upper_ = np.ones(m)
    lp.row_lower_ = np.full(n_left + n_right, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.ones(n_left), cap.astype(float)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.passModel(lp)
    h.run()
    return {
        "lp_s": round(time.perf_counter() - t, 3),
        "objective": round(-h.getInfo().objective_function_value, 6),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes only, runs in seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", nargs=2, type=int, metavar=("MENTEES", "MENTORS"), help="one size only")
    parser.add_argument(
        "--pricing-rounds", type=int, help="stop after this many pricing rounds (a proven bound and gap)"
    )
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--highs", help=argparse.SUPPRESS)
    parser.add_argument("--flow", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.highs:
        print(json.dumps(highs_lp(args.highs)))
        return
    if args.flow:
        print(json.dumps(flow_all_pairs(args.flow)))
        return
    if args.child:
        m, k = args.child
        with_exact = m <= EXACT_LIMIT[0] and k <= EXACT_LIMIT[1]
        with_highs = m <= HIGHS_LIMIT[0] and k <= HIGHS_LIMIT[1]
        print(json.dumps(run_size(m, k, args.seed, with_exact, with_highs, args.pricing_rounds)))
        return
    if args.size:
        sizes = [tuple(args.size)]
    elif args.quick:
        sizes = [(500, 150), (2_000, 600)]
    else:
        sizes = [(2_000, 600), (5_000, 1_500), (20_000, 5_000), (200_000, 50_000)]
    print(f"machine: {os.cpu_count()} cores (shared with other work); python {sys.version.split()[0]}")
    print(f"load before: {os.getloadavg()}")
    for m, k in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(m), str(k), "--seed", str(args.seed)]
            + ([] if args.pricing_rounds is None else ["--pricing-rounds", str(args.pricing_rounds)]),
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        if done.returncode != 0:
            print(f"{m}x{k}: FAILED\n{done.stderr}")
            continue
        r = json.loads(done.stdout)
        target = TARGETS.get((m, k))
        verdict = (
            ""
            if target is None
            else f" (target <= {target:g} s: {'met' if r['solve_s'] <= target else 'MISSED'} in wall time, "
            f"{'met' if r['solve_cpu_s'] <= target else 'MISSED'} in CPU time)"
        )
        c = r["certificate"]
        print(f"\n== many-to-one {m:,} mentees x {k:,} mentors (load now {os.getloadavg()[0]:.1f}) ==")
        print(
            f"end to end {r['solve_s']:.3f} s wall{verdict}, {r['solve_cpu_s']:.3f} s CPU; "
            f"generate {r['generate_s']} s (not counted)"
        )
        print(f"  stages: {r['timings']}")
        print(
            f"  candidate edges {r['candidate_edges']:,}; pairs {r['pairs']:,}; "
            f"objective {r['objective']:.6f}; "
            f"peak RSS {r['peak_rss_mb']:.0f} MB (after generating: {r['peak_rss_mb_after_generate']:.0f} MB)"
        )
        status = "PROVEN OPTIMAL" if r["exact"] else f"not proven: gap <= {r['gap_percent']} %"
        print(
            f"  certificate: {status}; {c['pricing_rounds']} pricing rounds, {c['edges_enumerated']:,} pairs "
            f"enumerated, {c['edges_priced']:,} priced, {c['edges_added']:,} added, largest reduced cost "
            f"{c['largest_reduced_cost']} (x 1e-6); LP bound {r['upper_bound']}"
        )
        for name, label in (("flow", "min cost flow"), ("highs", "HiGHS LP")):
            ref = r.get(name)
            if ref is None:
                continue
            if "objective" not in ref:
                print(f"  {label} over all eligible pairs: {ref}")
                continue
            seconds = ref.get("flow_s", ref.get("lp_s"))
            same = abs(ref["objective"] - r["objective"]) <= 1e-6 * max(r["pairs"], 1)
            print(
                f"  independent {label} over all {r['all_eligible_pairs']:,} eligible pairs: "
                f"{ref['objective']:.6f} in {seconds} s (after {r['enumerate_all_pairs_s']} s enumerating "
                f"and scoring them): {'same optimum' if same else 'DIFFERENT'}"
            )


if __name__ == "__main__":
    main()

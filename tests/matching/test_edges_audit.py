"""An auditor re-solves a run from the edges file alone, with another solver, and gets the same pairs."""

import csv
import json

import numpy as np

from mentora.matching.cli import main
from mentora.matching.generate import generate_instance
from mentora.matching.instance import instance_to_json
from tests.matching.lp import optimum


def test_re_solving_from_the_edges_file_reproduces_the_result(tmp_path):
    inst = generate_instance(mentees=80, mentors=30, seed=11, candidate_limit=None)
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(instance_to_json(inst)))
    assert main(["solve", str(path), "--out", str(tmp_path / "result.json")]) == 0
    assert main(["edges", str(path), "--out", str(tmp_path / "edges.csv")]) == 0
    result = json.loads((tmp_path / "result.json").read_text())
    with open(tmp_path / "edges.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))

    # an independent integer program over the file's integer scores (scipy's HiGHS, not the flow)
    mentees = sorted({r["mentee"] for r in rows})
    mentors = sorted({r["mentor"] for r in rows})
    capacity = {p.id: p.capacity for p in inst.people}
    weight = np.array([int(r["score_millionths"]) for r in rows], dtype=np.float64)
    mentee_row = np.array([mentees.index(r["mentee"]) for r in rows])
    mentor_row = np.array([mentors.index(r["mentor"]) for r in rows])
    total, chosen = optimum(
        [mentee_row, mentor_row],
        [np.ones(len(mentees)), np.array([capacity[m] for m in mentors], dtype=np.float64)],
        weight,
    )
    reference = {(rows[k]["mentee"], rows[k]["mentor"]) for k in np.flatnonzero(chosen)}
    assert {(p["mentee"], p["mentor"]) for p in result["pairs"]} == reference
    # the total is the integer sum, to the millionth
    assert round(result["objective"]["total_score"] * 1_000_000) == round(total)
    scores = {(r["mentee"], r["mentor"]): int(r["score_millionths"]) for r in rows}
    for pair in result["pairs"]:
        assert round(pair["score"], 4) == round(scores[(pair["mentee"], pair["mentor"])] / 1e6, 4)

import json
import subprocess
import sys
from pathlib import Path

from mentora.matching.cli import main

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "examples" / "one_to_one_small.json"


def test_solve_writes_a_result_document(tmp_path):
    out = tmp_path / "result.json"
    assert main(["solve", str(SMALL), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert {"pairs", "unmatched", "objective", "solver", "fairness"} <= set(result)
    assert result["pairs"][0]["reasons"]
    assert list(tmp_path.iterdir()) == [out]


def test_edges_writes_every_candidate_with_components(tmp_path):
    out = tmp_path / "edges.csv"
    assert main(["edges", str(SMALL), "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "mentee,mentor,score_millionths,goal_fit,purpose,diversity,practical,preference"
    assert len(lines) > 1


def test_a_malformed_instance_exits_non_zero_names_the_person_and_writes_nothing(tmp_path, capsys):
    doc = json.loads(SMALL.read_text())
    doc["people"][3]["seniority"] = "senior"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    out = tmp_path / "result.json"
    assert main(["solve", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "'amara'" in err and "'seniority'" in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.json"]


def test_generate_writes_a_valid_instance(tmp_path):
    out = tmp_path / "gen.json"
    assert main(["generate", "--mentees", "20", "--mentors", "8", "--seed", "1", "--out", str(out)]) == 0
    assert main(["validate", str(out)]) == 0


def test_help_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-m", "mentora.matching", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0
    assert "solve" in done.stdout and "edges" in done.stdout and "generate" in done.stdout


def test_the_engine_never_imports_django():
    code = (
        "import sys, mentora.matching.engine, mentora.matching.cli, mentora.matching.shortlist;"
        "from mentora.matching.engine import solve;"
        "from mentora.matching.generate import generate_instance;"
        "solve(generate_instance(mentees=20, mentors=8, seed=1));"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr

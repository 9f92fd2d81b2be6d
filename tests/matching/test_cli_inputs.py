"""No input crashes the command line: every mistake ends in one line naming the argument, file or
field, and exit status 2; never a traceback (issue 10 §5)."""

from __future__ import annotations

import copy
import io
import json
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentora.matching.cli import main
from mentora.matching.cpsat import deterministic_solver
from mentora.matching.generate import generate_instance
from mentora.matching.instance import InstanceError, instance_to_json, parse_instance
from mentora.matching.shortlist import Shortlister

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "examples" / "one_to_one_small.json"
SMALL_DOC = json.loads(SMALL.read_text())


def run(argv: list[str]) -> tuple[int, str]:
    """main(argv) in-process: (exit status, stderr). argparse's own exits count as a status."""
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        try:
            status = main(argv)
        except SystemExit as exc:
            status = exc.code
    return status, err.getvalue()


def assert_refused(status: int, err: str, *names: str) -> None:
    assert status == 2, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for name in names:
        assert name in err, err


def with_program(tmp_path: Path, doc: dict, **program) -> str:
    doc = copy.deepcopy(doc)
    doc["program"].update(program)
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_non_utf8_file_is_named(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(SMALL.read_text().replace("grace", "gr\u00e2ce").encode("latin-1"))
    status, err = run(["validate", str(path)])
    assert_refused(status, err, str(path), "UTF-8")


def test_utf16_file_is_named(tmp_path):
    path = tmp_path / "utf16.json"
    path.write_bytes(SMALL.read_text().encode("utf-16"))
    status, err = run(["solve", str(path), "--out", str(tmp_path / "out.json")])
    assert_refused(status, err, str(path), "UTF-16")
    assert not (tmp_path / "out.json").exists()


def test_deeply_nested_json_is_refused(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    status, err = run(["validate", str(path)])
    assert_refused(status, err, str(path), "nested too deeply")


def test_a_directory_as_the_instance(tmp_path):
    status, err = run(["validate", str(tmp_path)])
    assert_refused(status, err, str(tmp_path), "directory")


def test_out_pointing_to_a_directory_is_refused_before_solving(tmp_path):
    status, err = run(["solve", str(SMALL), "--out", str(tmp_path)])
    assert_refused(status, err, "--out", str(tmp_path), "directory")
    assert list(tmp_path.iterdir()) == []


def test_out_in_a_missing_directory(tmp_path):
    status, err = run(["edges", str(SMALL), "--out", str(tmp_path / "nope" / "edges.csv")])
    assert_refused(status, err, "--out", "does not exist")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{"grace": 1', "invalid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"grace": "x"}', "'grace'"),
        ('{"grace": -1}', "'grace'"),
        ('{"grace": true}', "'grace'"),
    ],
)
def test_malformed_exposure_file(tmp_path, text, why):
    path = tmp_path / "shown.json"
    path.write_text(text)
    status, err = run(["shortlist", str(SMALL), "--mentee", "kenji", "--exposure", str(path)])
    assert_refused(status, err, "--exposure", str(path), why)


def test_exposure_file_is_applied(tmp_path):
    path = tmp_path / "shown.json"
    path.write_text('{"grace": 100}')
    out = tmp_path / "list.json"
    argv = ["shortlist", str(SMALL), "--mentee", "kenji", "--exposure", str(path), "--out", str(out)]
    assert run(argv)[0] == 0
    shown = {entry["mentor"]: entry["exposure_discount"] for entry in json.loads(out.read_text())}
    assert shown["grace"] < 1


@pytest.mark.parametrize("k", ["-3", "0", "five"])
def test_shortlist_k_must_be_positive(k):
    status, err = run(["shortlist", str(SMALL), "--mentee", "kenji", "--k", k])
    assert_refused(status, err, "--k")


def test_shortlister_refuses_a_non_positive_k():
    shortlister = Shortlister(parse_instance(SMALL_DOC))
    with pytest.raises(ValueError, match="k"):
        shortlister.shortlist("kenji", k=-3)


def test_huge_candidate_limit_names_the_field(tmp_path):
    status, err = run(["solve", with_program(tmp_path, SMALL_DOC, candidate_limit=2**63), "--out", "x.json"])
    assert_refused(status, err, "program.candidate_limit")


def test_a_circles_seed_beyond_32_bits_solves(tmp_path):
    # 12 people in circles of 3-4 are solved exactly by CP-SAT, whose seed is a 32-bit integer
    # (peer's CP-SAT takes its seed through the same deterministic_solver).
    doc = instance_to_json(generate_instance(peers=12, seed=3, program_format="circles"))
    path = with_program(tmp_path, doc, seed=2**31 + 7, circles={"min_size": 3, "max_size": 4})
    out = tmp_path / "out.json"
    status, err = run(["solve", path, "--out", str(out)])
    assert status == 0, err
    assert json.loads(out.read_text())["groups"]


def test_cpsat_seed_is_folded_into_its_range():
    assert deterministic_solver(work=1.0, seed=2**40 + 5).parameters.random_seed == 5


def test_worst_group_floor_by_a_group_nobody_has(tmp_path):
    doc = copy.deepcopy(SMALL_DOC)
    for person in doc["people"]:
        person.pop("demographic_group", None)
    path = with_program(tmp_path, doc, fairness_floor="worst_group", fairness_group="demographic_group")
    status, err = run(["solve", path, "--out", str(tmp_path / "out.json")])
    assert_refused(status, err, "program.fairness_group", "demographic_group")


def test_stable_mode_with_a_department_cap_never_tracebacks(tmp_path):
    path = with_program(tmp_path, SMALL_DOC, mode="stable", max_mentees_per_department=1)
    status, err = run(["solve", path, "--out", str(tmp_path / "out.json")])
    assert status in (0, 2) and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize(
    ("program", "field"),
    [
        ({"seed": -1}, "program.seed"),
        ({"reference_date": "15/01/2025"}, "program.reference_date"),
        ({"circles": {"min_size": "5"}}, "program.circles.min_size"),
        ({"candidate_limit": 1.5}, "program.candidate_limit"),
    ],
)
def test_schema_errors_name_the_field(program, field):
    doc = copy.deepcopy(SMALL_DOC)
    doc["program"].update(program)
    with pytest.raises(InstanceError) as err:
        parse_instance(doc)
    assert err.value.field == field


def test_the_parser_enforces_the_shipped_schema_itself():
    # A rule stated only in the schema file is enforced: the parser can't drift from it.
    doc = copy.deepcopy(SMALL_DOC)
    doc["program"]["candidate_limit"] = 100_001
    with pytest.raises(InstanceError, match="<= 100000"):
        parse_instance(doc)


# ------------------------------------------------------------------------------------------ fuzzing

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FUZZ = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def fuzz_solve(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "instance.json"
        path.write_bytes(content)
        status, err = run(["solve", str(path), "--out", str(Path(tmp) / "out.json")])
    assert status in (0, 2), err
    assert "Traceback" not in err
    if status == 2:
        assert len(err.strip().splitlines()) == 1, err


@FUZZ
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(content):
    fuzz_solve(content)


@FUZZ
@given(json_values)
def test_fuzz_random_json_documents(doc):
    fuzz_solve(json.dumps(doc).encode())


def _fields(doc: dict) -> list[tuple]:
    """Paths of every program field and every field of the people."""
    paths = [("program", key) for key in doc["program"]]
    for i, person in enumerate(doc["people"]):
        paths += [("people", i, key) for key in person]
    return paths


SMALL_FIELDS = _fields(SMALL_DOC)
EXTRA_FIELDS = [("program", key) for key in ("format", "mode", "seed", "fairness_floor", "circles", "effort")]


@FUZZ
@given(st.sampled_from(SMALL_FIELDS + EXTRA_FIELDS), json_values | st.integers(-3, 3) | st.just(2**40))
def test_fuzz_one_field_of_a_valid_instance(path, value):
    doc = copy.deepcopy(SMALL_DOC)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    fuzz_solve(json.dumps(doc).encode())

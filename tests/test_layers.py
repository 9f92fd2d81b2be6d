"""The floors of docs/architecture.md hold: no app imports one above it, and the engine no Django."""

from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def test_every_import_contract_is_kept():
    # On failure, the captured output names each import that breaks a contract.
    assert lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True) == EXIT_STATUS_SUCCESS

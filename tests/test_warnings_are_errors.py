"""The test run turns warnings about Mentora's own code into failures (pyproject.toml filterwarnings)."""

import warnings

import pytest


def _warn_from(module: str, message: str, category: type[Warning]) -> None:
    warnings.warn_explicit(
        message, category, filename=f"{module.replace('.', '/')}.py", lineno=1, module=module
    )


@pytest.mark.parametrize(
    "category", [DeprecationWarning, PendingDeprecationWarning, RuntimeWarning, UserWarning]
)
def test_a_warning_raised_from_mentora_code_fails_the_test(category):
    with pytest.raises(category):
        _warn_from("mentora.people.services", "something Mentora does is going away", category)


def test_a_ninja_endpoint_returning_a_status_tuple_fails_the_test():
    with pytest.raises(DeprecationWarning):
        _warn_from(
            "ninja.operation",
            "Returning tuple (status_code, response) is deprecated. "
            "Use Status(status_code, response) instead.",
            DeprecationWarning,
        )


def test_a_naive_datetime_saved_to_the_database_fails_the_test():
    with pytest.raises(RuntimeWarning):
        _warn_from(
            "django.db.models.fields",
            "DateTimeField Meeting.starts_at received a naive datetime (2031-01-01 10:00:00) "
            "while time zone support is active.",
            RuntimeWarning,
        )


def test_a_library_warning_about_its_own_code_is_left_to_the_library():
    with warnings.catch_warnings(record=True) as caught:
        _warn_from("ortools.sat.python.cp_model", "an ortools detail", DeprecationWarning)
    assert caught == []

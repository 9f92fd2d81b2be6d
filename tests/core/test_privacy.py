"""The one aggregate rule: small cells hidden with enough others, and figures that move only when
enough people moved them."""

import pytest

from mentora.core.privacy import MIN_AGGREGATE_GROUP, hidden_cells, membership_changed_enough


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"a": 9, "b": 7}, set()),
        ({"a": 9, "b": 0}, set()),  # an empty cell reveals nobody's answer
        ({"a": 9, "b": 1}, {"a", "b"}),  # "a" alone would give "b" away as total minus "a"
        ({"a": 9, "b": 1, "c": 6}, {"b", "c"}),  # the smallest shown cell goes with it
        ({"a": 2, "b": 3, "c": 8}, {"a", "b"}),  # together they reach the minimum
        ({"a": 1, "b": 1, "c": 1}, {"a", "b", "c"}),
    ],
)
def test_small_cells_are_hidden_with_enough_others(counts, hidden):
    assert hidden_cells(counts) == hidden
    withheld = sum(counts[key] for key in hidden)
    assert withheld == 0 or withheld >= MIN_AGGREGATE_GROUP or hidden == set(counts)


def test_membership_must_stay_the_same_or_change_by_the_minimum():
    people = frozenset(range(10))
    assert membership_changed_enough(people, people)
    assert not membership_changed_enough(people, people | {10})
    assert not membership_changed_enough(people, people - {0} | {10})  # one left, one joined
    assert membership_changed_enough(people, people | set(range(10, 10 + MIN_AGGREGATE_GROUP)))

"""The one privacy rule for every aggregate Mentora shows about people (docs/security.md).

A figure about people is shown only when it covers at least MIN_AGGREGATE_GROUP of them, and only
in a way that cannot be subtracted back to fewer: small cells are hidden together with enough
other cells (complementary suppression), and a figure that could be read again later moves only
when at least MIN_AGGREGATE_GROUP people moved it (check-ins: published per closed month; the
fairness report: held back until its membership changed by that many). This module imports no
domain app, so that every app may use it.
"""

from collections.abc import Hashable, Mapping
from typing import TypeVar

MIN_AGGREGATE_GROUP = 5

Key = TypeVar("Key", bound=Hashable)


def hidden_cells(counts: Mapping[Key, int]) -> set[Key]:
    """The cells of one breakdown to withhold, given how many people each holds.

    Every non-empty cell under the minimum is withheld; then, while the withheld cells together
    hold some people but fewer than the minimum, the smallest shown cell is withheld too, so that
    the total minus the shown cells never recovers a small group. Empty cells stay shown.
    """
    hidden = {key for key, n in counts.items() if 0 < n < MIN_AGGREGATE_GROUP}
    shown = sorted(
        (key for key, n in counts.items() if n >= MIN_AGGREGATE_GROUP),
        key=lambda key: (counts[key], str(key)),
    )
    withheld = sum(counts[key] for key in hidden)
    while 0 < withheld < MIN_AGGREGATE_GROUP and shown:
        key = shown.pop(0)
        hidden.add(key)
        withheld += counts[key]
    return hidden


def membership_changed_enough(before: frozenset, after: frozenset) -> bool:
    """Whether figures over `after` may be shown next to figures already shown over `before`:
    the same people, or at least the minimum number of people joined or left."""
    changed = len(before ^ after)
    return changed == 0 or changed >= MIN_AGGREGATE_GROUP

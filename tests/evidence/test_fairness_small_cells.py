"""The fairness tables' rates are figures about people too: a match rate whose matched or unmatched
mentees, or an on-track share whose on-track or other pairs, number fewer than MIN_AGGREGATE_GROUP
is withheld (core.privacy.hidden_cells), so a manager cannot read a named at-risk or waiting
mentee's consented group from the table beside the at-risk list."""

from mentora.evidence.selectors import fairness_rows


def _groups(**sizes: int) -> tuple[dict[int, str], list[int]]:
    groups, ids = {}, {}
    next_id = 1
    for group, size in sizes.items():
        ids[group] = list(range(next_id, next_id + size))
        groups.update(dict.fromkeys(ids[group], group))
        next_id += size
    return groups, ids


def test_a_group_with_one_matched_mentee_shows_neither_its_match_rate_nor_its_on_track_share():
    # 6 women, only Wendy matched and her pair at risk; 10 men, all matched and on track.
    groups, ids = _groups(Woman=6, Man=10)
    matched = {ids["Woman"][0], *ids["Man"]}
    on_track = set(ids["Man"])
    rows = {row[0]: row[1:] for row in fairness_rows(groups, matched, on_track)}
    # Without this rule: (6, 1, 16.7, 0.0), which names the one at-risk pair's mentee a woman.
    assert rows["Woman"] == (6, None, None, None)
    assert rows["Man"] == (10, 10, 100.0, 100.0)


def test_an_on_track_share_of_a_few_pairs_is_withheld_but_the_match_rate_stays():
    groups, ids = _groups(Woman=12)
    matched = set(ids["Woman"])
    on_track = set(ids["Woman"][:9])  # 3 of the 12 pairs not on track: a cell of 3
    assert fairness_rows(groups, matched, on_track) == [("Woman", 12, 12, 100.0, None)]
    on_track = set(ids["Woman"][:6])  # 6 and 6
    assert fairness_rows(groups, matched, on_track) == [("Woman", 12, 12, 100.0, 50.0)]


def test_a_few_waiting_mentees_withhold_the_match_rate_and_what_follows_from_it():
    groups, ids = _groups(Woman=12)
    matched = set(ids["Woman"][:10])  # 2 waiting: a cell of 2
    on_track = set(ids["Woman"][:5])
    assert fairness_rows(groups, matched, on_track) == [("Woman", 12, None, None, None)]

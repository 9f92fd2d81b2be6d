import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentora.matching.engine import prepare
from mentora.matching.text import rowwise_cosine, tfidf_matrix
from tests.matching.helpers import alice, bob, instance
from tests.matching.strategies import instances, with_group

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances(fmt="one_to_one"))
def test_every_component_and_score_is_between_zero_and_one(inst):
    e = prepare(inst).edges
    assert ((e.components >= 0) & (e.components <= 1)).all()
    assert ((e.score >= -1e-9) & (e.score <= 1 + 1e-9)).all()


@FAST
@given(instances(fmt="one_to_one"), st.data())
def test_changing_a_protected_attribute_changes_no_score(inst, data):
    groups = data.draw(
        st.lists(
            st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
            min_size=len(inst.people),
            max_size=len(inst.people),
        )
    )
    before, after = prepare(inst).edges, prepare(with_group(inst, groups)).edges
    assert np.array_equal(before.u, after.u) and np.array_equal(before.v, after.v)
    assert np.array_equal(before.score, after.score)
    assert np.array_equal(before.components, after.components)


def comps(inst):
    e = prepare(inst).edges
    assert len(e) == 1
    return dict(
        zip(
            ["goal_fit", "purpose", "diversity", "practical", "preference"],
            e.components[0].tolist(),
            strict=True,
        )
    )


def test_goal_fit_rewards_a_clear_level_gap_over_the_self_assessment():
    assert comps(instance(alice(self_assessment={"kubernetes": 0}), bob()))["goal_fit"] == 1.0
    assert abs(comps(instance(alice(self_assessment={"kubernetes": 3}), bob()))["goal_fit"] - 2 / 3) < 1e-6


def test_the_dial_rewards_difference_or_similarity():
    other = bob(job_family="sales", location="London")
    assert comps(instance(alice(), other, diversity_dial=1.0))["diversity"] == 1.0
    assert comps(instance(alice(), other, diversity_dial=0.0))["diversity"] == 0.0
    assert comps(instance(alice(), bob(department="Engineering"), diversity_dial=0.0))["diversity"] == 1.0


def test_a_stated_preference_counts():
    assert comps(instance(alice(preferences=("bob",)), bob()))["preference"] == 1.0
    assert comps(instance(alice(), bob()))["preference"] == 0.0


def test_tfidf_cosine_is_one_for_same_text_and_zero_for_disjoint():
    m, _ = tfidf_matrix(["cloud leadership", "cloud leadership", "baking bread", ""])
    got = rowwise_cosine(m, np.array([0, 0, 0]), np.array([1, 2, 3]))
    assert np.allclose(got, [1.0, 0.0, 0.0])


def test_tfidf_cosine_is_the_same_from_the_block_product_and_pair_by_pair(monkeypatch):
    from mentora.matching import text

    rng = np.random.default_rng(4)
    words = ["cloud", "leadership", "sales", "data", "growth", "python", "finance", "teams"]
    m, _ = tfidf_matrix([" ".join(rng.choice(words, size=rng.integers(0, 6))) for _ in range(60)])
    a, b = rng.integers(0, 60, 3000), rng.integers(0, 60, 3000)
    block = rowwise_cosine(m, a, b)  # 3,000 pairs fill most of the 60 x 60 block
    monkeypatch.setattr(text, "_BLOCK_CELLS", 0)
    pairwise = rowwise_cosine(m, a, b)
    assert np.allclose(block, pairwise, rtol=0, atol=1e-12)
    assert 0 < block.mean() < 1


def test_group_positions_order_by_group_then_descending_score_then_position():
    from mentora.matching.scoring import group_positions

    rng = np.random.default_rng(7)
    group = rng.integers(0, 30, 2000)
    on_grid = rng.integers(0, 40, 2000) / 40  # scores in millionths, with many ties
    off_grid = on_grid + rng.normal(scale=1e-9, size=2000) * (rng.random(2000) < 0.5)
    for score in (on_grid, off_grid, -on_grid * 1e4):
        order = sorted(range(2000), key=lambda k: (group[k], -score[k], k))
        expected = np.empty(2000, dtype=np.int64)
        first_place: dict[int, int] = {}
        for place, k in enumerate(order):
            expected[k] = place - first_place.setdefault(int(group[k]), place)
        assert np.array_equal(group_positions(group, score), expected)


def test_scores_do_not_depend_on_the_block_size(monkeypatch):
    from mentora.matching import scoring
    from mentora.matching.generate import generate_instance

    prep = prepare(generate_instance(mentees=300, mentors=80, seed=2))
    u, v = np.repeat(prep.left, len(prep.right)), np.tile(prep.right, len(prep.left))
    whole = scoring.score_edges(prep.pop, prep.program, u, v)
    monkeypatch.setattr(scoring, "_SCORE_BLOCK", 1_000)
    blocks = scoring.score_edges(prep.pop, prep.program, u, v)
    assert len(u) > 5 * 1_000
    assert np.array_equal(whole.components, blocks.components)
    assert np.array_equal(whole.score, blocks.score)

import numpy as np

from mentora.matching.engine import prepare
from mentora.matching.generate import generate_instance
from mentora.matching.shortlist import Shortlister
from tests.matching.helpers import alice, bob, instance, person


def test_the_shortlist_is_the_top_eligible_mentors_by_score_with_reasons():
    inst = generate_instance(mentees=200, mentors=120, seed=6).with_program(candidate_limit=None)
    prep = prepare(inst)
    shortlister = Shortlister(inst)
    mentee = prep.pop.ids[int(prep.edges.u[0])]
    got = shortlister.shortlist(mentee, k=5)
    mine = prep.edges.u == prep.pop.index[mentee]
    expected = sorted(prep.edges.score[mine].tolist(), reverse=True)[:5]
    assert np.allclose([g.score for g in got], expected)
    assert all(g.reasons for g in got)


def test_an_overexposed_mentor_is_discounted_below_one_with_room():
    popular = bob()
    quiet = person("quinn", "mentor", offered_skills={"kubernetes": 4}, department="Sales")
    shortlister = Shortlister(instance(alice(), popular, quiet))
    fresh = shortlister.shortlist("alice", k=2)
    assert [e.mentor for e in fresh] == ["bob", "quinn"]
    crowded = shortlister.shortlist("alice", k=2, exposure={"bob": 10})
    assert [e.mentor for e in crowded] == ["quinn", "bob"]
    assert crowded[1].exposure_discount < 1


def test_a_mentor_without_free_places_is_not_shown():
    shortlister = Shortlister(instance(alice(), bob()))
    assert shortlister.shortlist("alice", assigned={"bob": 1}) == []
    assert shortlister.why_empty("alice")


def test_every_shortlisted_mentor_is_eligible():
    from tests.matching.strategies import naive_eligible

    inst = generate_instance(mentees=20, mentors=2000, seed=7)
    by_id = {p.id: p for p in inst.people}
    shortlister = Shortlister(inst)
    for mentee in [p for p in inst.people if "mentee" in p.roles][:5]:
        entries = shortlister.shortlist(mentee.id, k=5)
        assert len(entries) <= 5
        assert all(naive_eligible(inst, mentee, by_id[e.mentor]) for e in entries)

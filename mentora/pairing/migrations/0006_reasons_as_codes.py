"""Stored reasons become the engine's codes with params (docs/matching.md, "Reasons").

Older rows hold English prose. Prose is never parsed back: a proposal's reasons are computed again
by the engine from the run's input snapshot (the same instance the run solved), without private
params; where that cannot be done (a locked pair, whose mentee is not in the snapshot, or a snapshot
the engine no longer reads) they are cleared. Unmatched reasons need the whole run again: cleared.
"""

import numpy as np
from django.db import migrations

from mentora.matching import parse_instance
from mentora.matching.explain import PRIVATE_PARAMS, explain_pairs
from mentora.matching.population import build_population
from mentora.matching.scoring import score_edges


def _is_prose(reasons) -> bool:
    return any(not isinstance(reason, dict) or "code" not in reason for reason in reasons or [])


def _recomputed(snapshot, proposals) -> dict[int, list]:
    """Proposal pk -> coded reasons, for the proposals whose two people are in the snapshot."""
    try:
        instance = parse_instance(snapshot)
        pop = build_population(instance)
    except Exception:  # a snapshot this engine no longer reads: its reasons are cleared
        return {}
    known = [p for p in proposals if str(p.mentor_id) in pop.index and str(p.mentee_id) in pop.index]
    if not known:
        return {}
    u = np.array([pop.index[str(p.mentee_id)] for p in known], dtype=np.int64)
    v = np.array([pop.index[str(p.mentor_id)] for p in known], dtype=np.int64)
    reasons = explain_pairs(pop, instance.program, u, v, score_edges(pop, instance.program, u, v).components)
    return {
        p.pk: [
            {"code": r["code"], "params": {k: x for k, x in r["params"].items() if k not in PRIVATE_PARAMS}}
            for r in why
        ]
        for p, why in zip(known, reasons, strict=True)
    }


def forwards(apps, schema_editor):
    MatchRun = apps.get_model("pairing", "MatchRun")
    Proposal = apps.get_model("pairing", "Proposal")
    for run in MatchRun.objects.all().iterator(chunk_size=50):
        proposals = [p for p in Proposal.objects.filter(run=run) if _is_prose(p.reasons)]
        if proposals:
            coded = _recomputed(run.input_snapshot, proposals)
            for proposal in proposals:
                proposal.reasons = coded.get(proposal.pk, [])
            Proposal.objects.bulk_update(proposals, ["reasons"], batch_size=500)
        unmatched = (run.result or {}).get("unmatched", [])
        if any(_is_prose(entry.get("reasons")) for entry in unmatched):
            for entry in unmatched:
                if _is_prose(entry.get("reasons")):
                    entry["reasons"] = []
            MatchRun.objects.filter(pk=run.pk).update(result=run.result)


class Migration(migrations.Migration):
    dependencies = [("pairing", "0005_rule_override")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

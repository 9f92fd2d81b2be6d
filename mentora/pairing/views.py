"""Matching pages for a program's managers: start runs, follow progress, review, publish.

Views parse input, call one service or selector, and render the page or, for htmx, a fragment.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentora.core.forms import apply_service_errors, flash_refusal, refusal_text
from mentora.core.htmx import render_page_or_fragment, vary_on_htmx, wants_fragment
from mentora.core.roles import request_viewer
from mentora.core.sorting import sorting_for
from mentora.pairing import selectors, services
from mentora.pairing.forms import PairByHandForm, PairPeopleForm, ProposalFilterForm, RunForm, SwapForm
from mentora.pairing.models import MatchRun, ProposalState, RunStatus
from mentora.pairing.reasons import Audience, render_reasons
from mentora.people.models import Person
from mentora.relationships.selectors import program_gaps, program_pool


def _program(request, program_id: int):
    program = selectors.program_get_for_matching(viewer=request_viewer(request), program_id=program_id)
    # A run whose worker died is marked failed when its managers look (there is no other sweep).
    services.match_runs_fail_abandoned(program_id=program.pk)
    return program


def _run(request, run_id: int) -> MatchRun:
    run = selectors.match_run_get_managed(viewer=request_viewer(request), run_id=run_id)
    if services.match_runs_fail_abandoned(program_id=run.program_id):
        run.refresh_from_db()
    return run


@login_required
def matching_home(request, program_id: int):
    program = _program(request, program_id)
    form = RunForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.match_run_create(
                program=program, created_by=request_viewer(request).person, settings=form.run_settings()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The matching run has started."))
            return redirect("pairing:run", run_id=run.pk)
    context = {
        "program": program,
        "form": form,
        "gaps": program_gaps(program=program),
        "closed_pairs": selectors.closed_pair_list(program=program),
    }
    return render(request, "pairing/matching_home.html", context | _run_page(request, program))


@login_required
def pair_by_hand(request, program_id: int):
    program = _program(request, program_id)
    pool = program_pool(program=program)
    form = PairByHandForm(request.POST or None, pool=pool)
    if request.method == "POST" and form.is_valid():
        people = Person.objects.in_bulk([int(form.cleaned_data["mentor"]), int(form.cleaned_data["mentee"])])
        try:
            services.relationship_pair_by_hand(
                program=program,
                mentor=people[int(form.cleaned_data["mentor"])],
                mentee=people[int(form.cleaned_data["mentee"])],
                by=request_viewer(request).person,
                note=form.cleaned_data["note"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Pairing created. Both people are asked to consent."))
            return redirect("programs:manage", pk=program.pk)
    overrides = selectors.rule_override_list(program=program)
    for override in overrides:
        override.labels = services.rule_labels(override.rules)
    context = {"program": program, "form": form, "pool": pool, "overrides": overrides}
    return render(request, "pairing/pair.html", context)


@login_required
@require_POST
def pair_allow_again(request, program_id: int):
    program = _program(request, program_id)
    form = PairPeopleForm(request.POST)
    if not form.is_valid():
        raise BadRequest("A mentor and a mentee are required.")
    people = Person.objects.filter(organisation_id=program.organisation_id)
    try:
        services.pair_allow_again(
            program=program,
            mentor=get_object_or_404(people, pk=form.cleaned_data["mentor"]),
            mentee=get_object_or_404(people, pk=form.cleaned_data["mentee"]),
            by=request_viewer(request).person,
        )
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("This pair may be proposed and published again."))
    return redirect("pairing:home", program_id=program.pk)


@login_required
def run_list(request, program_id: int):
    program = _program(request, program_id)
    return render(request, "pairing/_run_list.html", {"program": program, **_run_page(request, program)})


def _run_page(request, program) -> dict:
    """One page of the program's runs, newest first; the list polls while one of them runs."""
    runs = Paginator(selectors.match_run_list(program=program), selectors.RUNS_PER_PAGE)
    page = runs.get_page(request.GET.get("page"))
    return {"runs": page, "polling": any(not run.is_finished for run in page)}


def _proposal_page(request, run: MatchRun) -> dict:
    """One page of the run's pairs, filtered by the query string."""
    form = ProposalFilterForm(request.GET, program=run.program)
    filters = form.filters()
    sorting = sorting_for(request, columns=selectors.PROPOSAL_SORTS, default="-score")
    proposals = selectors.proposal_list(run=run, filters=filters, order_by=sorting.order_by)
    page = Paginator(proposals, selectors.PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    skill_names = selectors.program_skill_names(program=run.program)
    for proposal in page:
        proposal.bars = selectors.component_bars(proposal)
        proposal.shown_reasons = render_reasons(
            proposal.reasons, audience=Audience.MANAGER, skill_names=skill_names
        )
    return {
        "filter_form": form,
        "page": page,
        "sorting": sorting,
        "filtered": filters != selectors.ProposalFilters(),
    }


@login_required
def run_detail(request, run_id: int):
    run = _run(request, run_id)
    editable = run.status == RunStatus.SUCCEEDED and not run.is_published
    if wants_fragment(request, target="proposals"):
        context = {"run": run, "editable": editable, **_proposal_page(request, run)}
        return vary_on_htmx(render(request, "pairing/_proposals.html", context))
    context = {
        "run": run,
        "program": run.program,
        "pairs": run.proposals.count(),
        "to_publish": run.proposals.exclude(state=ProposalState.REJECTED).count(),
        "report": selectors.run_report(run=run),
        "weights": selectors.run_weights(run),
        "other_runs": selectors.match_run_list(program=run.program)
        .filter(status=RunStatus.SUCCEEDED)
        .exclude(pk=run.pk),
        "editable": editable,
        **(_proposal_page(request, run) if run.status == RunStatus.SUCCEEDED else {}),
    }
    return vary_on_htmx(render(request, "pairing/run_detail.html", context))


@login_required
def run_progress(request, run_id: int):
    run = _run(request, run_id)
    response = render(request, "pairing/_run_progress.html", {"run": run})
    if run.is_finished and request.GET.get("reload"):
        response["HX-Refresh"] = "true"
    return response


def _proposal_row(request, proposal, error: str = ""):
    proposal.bars = selectors.component_bars(proposal)
    run = proposal.run
    proposal.shown_reasons = render_reasons(
        proposal.reasons,
        audience=Audience.MANAGER,
        skill_names=selectors.program_skill_names(program=run.program),
    )
    return render(
        request,
        "pairing/_proposal_row.html",
        {"proposal": proposal, "run": run, "editable": not run.is_published, "error": error},
    )


@login_required
@require_POST
def proposal_action(request, proposal_id: int, action: str):
    proposal = selectors.proposal_get_managed(viewer=request_viewer(request), proposal_id=proposal_id)
    person = request_viewer(request).person
    actions = {
        "lock": lambda: services.proposal_lock(proposal=proposal, by=person),
        "forbid": lambda: services.proposal_forbid(proposal=proposal, by=person),
        "clear": lambda: services.proposal_clear(proposal=proposal, by=person),
    }
    if action not in actions:
        raise Http404
    error = ""
    try:
        actions[action]()
    except ValidationError as exc:
        error = refusal_text(exc)
    if wants_fragment(request):
        return _proposal_row(request, proposal, error)
    if error:
        messages.error(request, error)
    return redirect("pairing:run", run_id=proposal.run_id)


@login_required
def proposal_swap(request, run_id: int):
    """GET: pick the pair to exchange mentors with (searchable, paged). POST: swap."""
    run = _run(request, run_id)
    if request.method == "POST":
        return _swap(request, run)
    first = run.proposals.select_related("mentor", "mentee").filter(pk=_int(request.GET.get("first"))).first()
    if first is None:
        messages.error(request, _("Pick the pair to swap from the list of proposed pairs."))
        return redirect("pairing:run", run_id=run.pk)
    name = request.GET.get("name", "").strip()[:100]
    if "\x00" in name:
        # PostgreSQL cannot compare text holding NUL: refuse it here rather than answer 500 there.
        raise BadRequest("The search holds a NUL character.")
    candidates = selectors.proposal_swap_candidates(proposal=first, name=name)
    page = Paginator(candidates, selectors.SWAP_CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"run": run, "program": run.program, "first": first, "name": name, "page": page}
    return render_page_or_fragment(
        request, page="pairing/swap_pick.html", fragment="pairing/_swap_candidates.html", context=context
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _swap(request, run: MatchRun):
    form = SwapForm(request.POST, proposals=run.proposals.select_related("run__program", "mentor", "mentee"))
    if not form.is_valid():
        messages.error(request, _("Pick the pair to swap with."))
        return redirect("pairing:run", run_id=run.pk)
    try:
        services.proposal_swap(
            first=form.cleaned_data["first"],
            second=form.cleaned_data["second"],
            by=request_viewer(request).person,
        )
    except ValidationError as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, _("The two mentors were swapped."))
    return redirect("pairing:run", run_id=run.pk)


@login_required
def run_publish(request, run_id: int):
    run = _run(request, run_id)
    if request.method == "POST":
        try:
            relationships = services.match_run_publish(run=run, by=request_viewer(request).person)
        except ValidationError as exc:
            flash_refusal(request, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Published %(count)s pair. Both sides are asked to consent.",
                    "Published %(count)s pairs. Both sides of each pair are asked to consent.",
                    len(relationships),
                )
                % {"count": len(relationships)},
            )
        return redirect("pairing:run", run_id=run.pk)
    context = {
        "run": run,
        "program": run.program,
        "editable": run.status == RunStatus.SUCCEEDED and not run.is_published,
        "to_publish": run.proposals.exclude(state=ProposalState.REJECTED).count(),
    }
    return render(request, "pairing/publish_confirm.html", context)


@login_required
def run_compare(request, program_id: int):
    program = _program(request, program_id)
    runs = selectors.match_run_list(program=program).filter(status=RunStatus.SUCCEEDED)
    try:
        first = runs.get(pk=int(request.GET.get("a", "")))
        second = runs.get(pk=int(request.GET.get("b", "")))
    except (ValueError, MatchRun.DoesNotExist):
        messages.error(request, _("Pick two finished runs of this program to compare."))
        return redirect("pairing:home", program_id=program.pk)
    comparison = selectors.match_run_compare(run_a=first, run_b=second)
    summaries = [comparison.first, comparison.second]
    return render(
        request,
        "pairing/compare.html",
        {
            "program": program,
            "comparison": comparison,
            "summaries": summaries,
            "weight_rows": zip(comparison.first.weights, comparison.second.weights, strict=True),
        },
    )

"""Cooperation outcomes: recording intentions (a quick form fit for a phone), following them
through the pipeline, the organisers' reports and the public outcome report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchmaking.forms.outcomes import FundingForm, IntentionForm, MoveForm, OutcomeReportForm
from matchmaking.models import CooperationIntention, OutcomeReport, Workshop
from matchmaking.permissions import (
    delegations_of,
    may_edit_intention,
    may_record_intentions,
    organises,
)
from matchmaking.services import outcome_reports, outcomes
from matchmaking.services.profiles import in_active_language
from portal.pdf import render_pdf

FILE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _workshop_for_recording(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    if not may_record_intentions(request.user, workshop):
        raise PermissionDenied
    return workshop


def _organised_workshop(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    if not organises(request.user, workshop):
        raise PermissionDenied
    return workshop


def _editable_intention(request, slug, number):
    intention = get_object_or_404(
        CooperationIntention.objects.select_related("workshop", "demanding", "offer"),
        workshop__slug=slug, number=number)
    if not may_edit_intention(request.user, intention):
        raise PermissionDenied
    return intention


@login_required
def intention_list(request, slug):
    workshop = _workshop_for_recording(request, slug)
    intentions = outcome_reports.intentions_of(workshop)
    is_organiser = organises(request.user, workshop)
    if not is_organiser:
        own = delegations_of(request.user, workshop)
        intentions = intentions.filter(Q(demanding__in=own) | Q(suppliers__in=own)).distinct()
    return render(request, "matchmaking/outcomes/list.html", {
        "workshop": workshop, "intentions": intentions, "is_organiser": is_organiser,
        "reports": _report_links(), "report": OutcomeReport.objects.filter(
            workshop=workshop).first(),
    })


@login_required
def intention_record(request, slug):
    workshop = _workshop_for_recording(request, slug)
    own = list(delegations_of(request.user, workshop))
    initial = {"demanding": own[0].pk} if len(own) == 1 else {}
    form = IntentionForm(request.POST or None, workshop=workshop, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            intention = outcomes.record_intention(workshop, form.intention_fields(),
                                                  by=request.user)
        except outcomes.OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Intention #%(number)d recorded.")
                             % {"number": intention.number})
            return redirect(intention.get_absolute_url())
    return render(request, "matchmaking/outcomes/form.html", {
        "workshop": workshop, "form": form, "intention": None})


@login_required
def intention_edit(request, slug, number):
    intention = _editable_intention(request, slug, number)
    form = IntentionForm(request.POST or None, workshop=intention.workshop,
                         initial=IntentionForm.initial_for(intention))
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.update_intention(intention, form.intention_fields(), by=request.user)
        except outcomes.OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Intention #%(number)d saved.")
                             % {"number": intention.number})
            return redirect(intention.get_absolute_url())
    return render(request, "matchmaking/outcomes/form.html", {
        "workshop": intention.workshop, "form": form, "intention": intention})


@login_required
def intention_detail(request, slug, number):
    intention = _editable_intention(request, slug, number)
    return _render_detail(request, intention)


def _render_detail(request, intention, move_form=None, funding_form=None, status=200):
    is_organiser = organises(request.user, intention.workshop)
    return render(request, "matchmaking/outcomes/detail.html", {
        "workshop": intention.workshop, "intention": intention,
        "suppliers": intention.suppliers.all(),
        "transitions": intention.transitions.select_related("moved_by"),
        "move_form": move_form or MoveForm(),
        "funding_form": funding_form or (FundingForm() if is_organiser else None),
        "is_organiser": is_organiser,
        "profile_url": _profile_url(intention),
    }, status=status)


@login_required
@require_POST
def intention_move(request, slug, number):
    intention = _editable_intention(request, slug, number)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            transition = outcomes.move_intention(
                intention, form.cleaned_data["stage"], by=request.user,
                moved_at=form.moved_at(), comment=form.cleaned_data["comment"])
        except outcomes.OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Intention #%(number)d moved to “%(stage)s”.") % {
                "number": intention.number, "stage": transition.get_to_stage_display()})
            return redirect(intention.get_absolute_url())
    return _render_detail(request, intention, move_form=form, status=400)


@login_required
@require_POST
def intention_fund(request, slug, number):
    intention = _editable_intention(request, slug, number)
    if not organises(request.user, intention.workshop):
        raise PermissionDenied
    form = FundingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            outcomes.select_for_funding(
                intention, by=request.user, amount=data["amount"], currency=data["currency"],
                source=data["source"], selected_at=form.selected_at())
        except outcomes.OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Intention #%(number)d selected for funding.")
                             % {"number": intention.number})
            return redirect(intention.get_absolute_url())
    return _render_detail(request, intention, funding_form=form, status=400)


# -- reports ----------------------------------------------------------------------------------

def _report_links():
    titles = {"intentions": _("Intentions"), "activities": _("Activity types"),
              "topics": _("Demand by topic"), "funnel": _("Funnel"), "matrix": _("Matrix")}
    return [(key, titles[key]) for key in outcome_reports.WORKSHOP_REPORTS]


def _report_response(request, report, file_format, context, filename):
    if file_format == "html":
        return render(request, "matchmaking/outcomes/report.html", context)
    if file_format == "csv":
        content = outcome_reports.report_csv(report)
    elif file_format == "xlsx":
        content = outcome_reports.report_xlsx(report)
    elif file_format == "pdf":
        content = render_pdf("matchmaking/outcomes/report_pdf.html", context, request)
    else:
        raise Http404
    response = HttpResponse(content, content_type=FILE_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


@login_required
def workshop_report(request, slug, report, file_format="html"):
    workshop = _organised_workshop(request, slug)
    if report not in outcome_reports.WORKSHOP_REPORTS:
        raise Http404
    built = outcome_reports.workshop_report(workshop, report)
    return _report_response(request, built, file_format, {
        "workshop": workshop, "report": built, "reports": _report_links(),
        "file_url_name": "matchmaking:outcome_report_file", "url_args": [workshop.slug],
    }, f"{workshop.slug}-{report}")


@login_required
def cross_workshop_report(request, report, file_format="html"):
    if report not in outcome_reports.CROSS_REPORTS:
        raise Http404
    workshops = Workshop.objects.order_by("starts_on", "name")
    if not request.user.is_superuser:
        workshops = workshops.filter(organisers=request.user)
    if not workshops.exists():
        raise PermissionDenied
    built = outcome_reports.cross_workshop_report(workshops, report)
    return _report_response(request, built, file_format, {
        "workshop": None, "workshops": workshops, "report": built,
        "reports": [(key, title) for key, title in _report_links()
                    if key in outcome_reports.CROSS_REPORTS],
        "file_url_name": "matchmaking:cross_outcome_report_file", "url_args": [],
    }, f"workshops-{report}")


# -- the public outcome report ----------------------------------------------------------------

def _profile_url(intention):
    return _program(intention)[1]


def _program(intention):
    """(title, URL) of the intention's program: its profile in the active language when
    there is a live one, else the offer's own title."""
    if intention.offer_id is None:
        return "", ""
    if intention.offer.profile_id is None:
        return intention.offer.title, ""
    page = in_active_language(intention.offer.profile)
    return (page.title, page.url) if page.live else (intention.offer.title, "")


def outcome_report(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    report = OutcomeReport.objects.filter(workshop=workshop).first()
    is_organiser = organises(request.user, workshop)
    if report is None or not (report.is_published or is_organiser):
        raise Http404
    intentions = list(outcome_reports.intentions_of(workshop))
    topics = outcome_reports.topic_labels()
    rows = []
    for intention in intentions:
        program, profile_url = _program(intention)
        rows.append({"intention": intention, "program": program, "profile_url": profile_url,
                     "demanding": outcome_reports.party_name(intention.demanding),
                     "suppliers": outcome_reports.supplier_names(intention),
                     "topic": topics.get(intention.topic, intention.topic)})
    return render(request, "matchmaking/outcomes/public.html", {
        "workshop": workshop, "report": report, "rows": rows, "is_organiser": is_organiser,
        "selected": [row for row in rows if row["intention"].selected_for_funding],
        "counts": outcome_reports.activities_report(intentions),
        "funnel": outcome_reports.funnel_report(intentions),
    })


@login_required
def outcome_report_edit(request, slug):
    workshop = _organised_workshop(request, slug)
    report = OutcomeReport.objects.filter(workshop=workshop).first()
    initial = ({field: getattr(report, field) for field in OutcomeReportForm.base_fields}
               if report else {})
    form = OutcomeReportForm(request.POST or None, initial=initial)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "unpublish" and report is not None:
            outcomes.set_report_published(report, False, by=request.user)
            messages.success(request, _("The outcome report is no longer public."))
            return redirect("matchmaking:outcome_report_edit", slug)
        if form.is_valid():
            try:
                report = outcomes.save_outcome_report(workshop, form.cleaned_data,
                                                      by=request.user,
                                                      publish=action == "publish")
            except outcomes.OutcomeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The outcome report is published.")
                                 if report.is_published else _("The outcome report is saved."))
                return redirect("matchmaking:outcome_report_edit", slug)
    return render(request, "matchmaking/outcomes/report_edit.html", {
        "workshop": workshop, "form": form, "report": report})

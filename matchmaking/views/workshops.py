"""Workshop pages: the public list and detail, a delegation's offers and requests, the
organisers' dashboard, and the workshop as a JSON file. Writes go through the services."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from matchmaking.forms.public import SupplyForm, WorkshopImportForm
from matchmaking.models import Delegation, Offer, OutcomeReport, Workshop
from matchmaking.permissions import (
    delegations_of,
    may_act_for,
    may_import_workshops,
    organises,
)
from matchmaking.services import consent, dashboard, demand, reminders, supply
from matchmaking.services.checkin import hosted_rooms
from matchmaking.services.exchange import ExchangeError, export_instance, import_workshop
from matchmaking.services.profiles import in_active_language, offerable_profiles, summary_text


def workshop_list(request):
    workshops = Workshop.objects.annotate(
        delegation_count=Count("delegations", distinct=True),
        offer_count=Count("offers", distinct=True))
    return render(request, "matchmaking/workshop_list.html", {
        "workshops": workshops, "may_import": may_import_workshops(request.user)})


def workshop_detail(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    labels = _topic_labels()
    return render(request, "matchmaking/workshop_detail.html", {
        "workshop": workshop,
        "sessions": workshop.sessions.all(),
        "rooms": workshop.rooms.all(),
        "delegations": workshop.delegations.annotate(offer_count=Count("offers")),
        "offers": [_offer_card(offer, labels) for offer in
                   workshop.offers.select_related("delegation", "profile")],
        "own_delegations": delegations_of(request.user, workshop),
        "hosts_a_room": hosted_rooms(request.user, workshop).exists(),
        "is_organiser": organises(request.user, workshop),
        "outcome_report": OutcomeReport.objects.filter(workshop=workshop,
                                                       is_published=True).first(),
    })


def _delegation_for(request, slug, key):
    delegation = get_object_or_404(Delegation.objects.select_related("workshop"),
                                   workshop__slug=slug, key=key)
    if not may_act_for(request.user, delegation):
        raise PermissionDenied
    return delegation


@login_required
def supply_view(request, slug, key):
    delegation = _delegation_for(request, slug, key)
    workshop = delegation.workshop
    profiles = offerable_profiles(delegation)
    offers = list(delegation.offers.all())
    form = SupplyForm(request.POST or None, profiles=profiles,
                      offers=[offer for offer in offers if offer.profile_id])
    if request.method == "POST" and form.is_valid():
        try:
            chosen = supply.set_offers(delegation, form.choices())
        except supply.SupplyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, ngettext(
                "%(delegation)s offers %(count)d program.",
                "%(delegation)s offers %(count)d programs.", len(chosen))
                % {"delegation": delegation, "count": len(chosen)})
            return redirect("matchmaking:supply", slug, key)
    return render(request, "matchmaking/supply.html", {
        "workshop": workshop, "delegation": delegation, "form": form,
        "other_offers": [offer for offer in offers if not offer.profile_id],
        "open": workshop.accepts_offers(),
    })


@login_required
def demand_view(request, slug, key):
    delegation = _delegation_for(request, slug, key)
    workshop = delegation.workshop
    if request.method == "POST":
        ranking = _int_list(request.POST.getlist("ranking"))
        for move in demand.MOVES:
            if move in request.POST:
                ranking = demand.rearranged(ranking, move, _int(request.POST[move]))
                break
        try:
            demand.set_requests(delegation, ranking)
        except demand.DemandError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, ngettext(
                "Ranking saved: %(count)d offer.", "Ranking saved: %(count)d offers.",
                len(ranking)) % {"count": len(ranking)})
        query = request.POST.get("q", "")
        url = reverse("matchmaking:demand", args=[slug, key])
        return redirect(f"{url}?{urlencode({'q': query})}#ranking" if query
                        else f"{url}#ranking")
    ranked_requests = list(delegation.requests.select_related(
        "offer__delegation", "offer__profile").order_by("rank"))
    ranked = [request_row.offer for request_row in ranked_requests]
    query = request.GET.get("q", "").strip()
    available = (Offer.objects.filter(workshop=workshop).exclude(delegation=delegation)
                 .exclude(pk__in=[offer.pk for offer in ranked])
                 .select_related("delegation", "profile"))
    labels = _topic_labels()
    cards = [_offer_card(offer, labels) for offer in available]
    if query:
        cards = [card for card in cards if _matches(card, query)]
    return render(request, "matchmaking/demand.html", {
        "workshop": workshop, "delegation": delegation, "query": query,
        "ranked": [{**_offer_card(row.offer, labels), "request": row}
                   for row in ranked_requests],
        "available": cards,
        "limit": workshop.max_requests, "open": workshop.accepts_requests(),
        "full": len(ranked) >= workshop.max_requests,
    })


@login_required
def incoming_view(request, slug, key):
    """Requests for the delegation's offers, to accept or decline when the workshop needs
    answers; in bilateral workshops, the delegations it is not to be scheduled with."""
    delegation = _delegation_for(request, slug, key)
    workshop = delegation.workshop
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("accept", "decline"):
                row = consent.answer_request(
                    _int(request.POST.get("request")), request.user, owner=delegation,
                    accept=action == "accept", message=request.POST.get("message", ""))
                messages.success(request, (
                    _("You accepted the request of %(requester)s for “%(offer)s”.")
                    if action == "accept" else
                    _("You declined the request of %(requester)s for “%(offer)s”."))
                    % {"requester": row.delegation.name, "offer": row.offer.title})
            elif action == "keep_apart":
                mark = consent.keep_apart(delegation, _int(request.POST.get("other")),
                                          request.user)
                messages.success(request, _("%(other)s will not be scheduled with "
                                            "%(delegation)s.")
                                 % {"other": mark.other.name, "delegation": delegation.name})
            elif action == "allow":
                other = consent.allow_again(delegation, _int(request.POST.get("other")),
                                            request.user)
                messages.success(request, _("%(other)s may be scheduled with %(delegation)s "
                                            "again.")
                                 % {"other": other.name, "delegation": delegation.name})
            else:
                messages.error(request, _("Choose what to do: accept, decline, or mark a "
                                          "delegation."))
        except consent.ConsentError as error:
            messages.error(request, str(error))
        return redirect("matchmaking:incoming", slug, key)
    marks = list(delegation.exclusions.select_related("other").order_by("other__name"))
    marked = {mark.other_id for mark in marks}
    return render(request, "matchmaking/incoming.html", {
        "workshop": workshop, "delegation": delegation,
        "incoming": consent.incoming_requests(delegation),
        "marks": marks,
        "others": workshop.delegations.exclude(pk=delegation.pk).exclude(pk__in=marked)
        .order_by("name"),
        "message_length": consent.MESSAGE_LENGTH,
    })


def _organised_workshop(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    if not organises(request.user, workshop):
        raise PermissionDenied
    return workshop


@login_required
def dashboard_view(request, slug):
    workshop = _organised_workshop(request, slug)
    delegations, rows, totals = dashboard.demand_matrix(workshop)
    topics = dashboard.demand_by_topic(workshop)
    return render(request, "matchmaking/dashboard.html", {
        "workshop": workshop, "delegations": delegations, "rows": rows, "totals": totals,
        "topics": topics,
        "chart": dashboard.bar_chart([(topic.label, topic.requests) for topic in topics]),
        "unrequested": dashboard.unrequested_offers(workshop),
        "silent": dashboard.silent_delegations(workshop),
        "request_count": sum(row[2] for row in rows),
    })


@login_required
@require_POST
def send_reminders_view(request, slug):
    workshop = _organised_workshop(request, slug)
    reminded, already, unreachable = reminders.send_request_reminders(
        workshop, sent_by=request.user)
    messages.success(request, ngettext(
        "Reminder sent to %(count)d delegation.", "Reminders sent to %(count)d delegations.",
        len(reminded)) % {"count": len(reminded)})
    if already:
        messages.info(request, _("Already reminded today: %(names)s.")
                      % {"names": ", ".join(str(d) for d in already)})
    if unreachable:
        messages.warning(request, _("No e-mail address for: %(names)s.")
                         % {"names": ", ".join(str(d) for d in unreachable)})
    return redirect("matchmaking:dashboard", slug)


@login_required
def export_view(request, slug):
    workshop = _organised_workshop(request, slug)
    body = json.dumps(export_instance(workshop), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}.json"'
    return response


@login_required
def import_view(request):
    if not may_import_workshops(request.user):
        raise PermissionDenied
    form = WorkshopImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = import_workshop(form.cleaned_data["file"],
                                       slug=form.cleaned_data["slug"] or None,
                                       created_by=request.user)
        except ExchangeError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("Workshop “%(name)s” imported.") % {"name": workshop})
            return redirect("matchmaking:workshop_detail", workshop.slug)
    return render(request, "matchmaking/import.html", {"form": form})


def _topic_labels():
    from programs.models import Topic

    return {topic.key: topic.name for topic in Topic.objects.all()}


def _offer_card(offer, labels=None):
    labels = labels if labels is not None else {}
    profile = in_active_language(offer.profile) if offer.profile_id else None
    return {
        "offer": offer,
        "title": profile.title if profile is not None else offer.title,
        "summary": summary_text(profile) if profile is not None else "",
        "url": profile.url if profile is not None else "",
        "topics": [labels.get(key, key) for key in offer.topics],
    }


def _matches(card, query):
    text = " ".join([card["title"], card["summary"], str(card["offer"].delegation),
                     *card["topics"]]).casefold()
    return all(term in text for term in query.casefold().split())


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _int_list(values):
    return [number for number in (_int(value) for value in values) if number is not None]

"""What organisers read before building the rounds: who wants what from whom."""

from collections import Counter
from dataclasses import dataclass

from matchmaking.models import Delegation, Offer, Request


@dataclass(frozen=True)
class TopicDemand:
    key: str
    label: str
    requests: int


def demand_matrix(workshop):
    """(delegations, rows): each row is (demanding delegation, [count per offering delegation],
    total), columns in the same order as `delegations`."""
    delegations = list(Delegation.objects.filter(workshop=workshop).order_by("name"))
    counts = Counter(
        Request.objects.filter(delegation__workshop=workshop)
        .values_list("delegation_id", "offer__delegation_id"))
    rows = []
    for demanding in delegations:
        cells = [counts.get((demanding.pk, offering.pk), 0) for offering in delegations]
        rows.append((demanding, cells, sum(cells)))
    totals = [sum(row[1][index] for row in rows) for index in range(len(delegations))]
    return delegations, rows, totals


def demand_by_topic(workshop):
    """Requests per topic of the requested offer, most demanded first (the seed's Graph 1).
    An offer with several topics counts for each of them."""
    from programs.models import Topic

    counts = Counter()
    for topics in Request.objects.filter(delegation__workshop=workshop).values_list(
            "offer__topics", flat=True):
        counts.update(topics or ["_none"])
    labels = {topic.key: topic.name for topic in Topic.objects.filter(key__in=list(counts))}
    return sorted(
        (TopicDemand(key, labels.get(key, key), count) for key, count in counts.items()),
        key=lambda item: (-item.requests, item.label.casefold()))


def unrequested_offers(workshop):
    return list(Offer.objects.filter(workshop=workshop, requests__isnull=True)
                .select_related("delegation").order_by("delegation__name", "title"))


def silent_delegations(workshop):
    """Delegations that have made no request yet."""
    return list(Delegation.objects.filter(workshop=workshop, requests__isnull=True)
                .prefetch_related("members__user", "reminders").order_by("name"))


def bar_chart(items, *, width=480, bar_height=22, gap=6, label_width=260):
    """Geometry of a horizontal SVG bar chart of (label, value) pairs, computed here so the
    template carries attributes only (the CSP forbids inline styles)."""
    items = list(items)
    most = max((value for _label, value in items), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        y = index * (bar_height + gap)
        length = round(value / most * (width - label_width - 40), 1)
        bars.append({"label": label, "value": value, "y": y, "text_y": y + bar_height * 0.7,
                     "length": length, "value_x": label_width + length + 6})
    return {"bars": bars, "width": width, "height": max(len(items), 1) * (bar_height + gap),
            "bar_height": bar_height, "label_width": label_width,
            "label_x": label_width - 8}

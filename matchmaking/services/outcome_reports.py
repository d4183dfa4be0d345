"""The outcome reports: what the rounds agreed (seed 003's Table 1, Table 3 and Graph 1), how
far it got (the funnel) and who cooperates with whom (the matrix).

Each report is one `Report`: a header and rows (the table, the CSV and the XLSX carry exactly
these), a totals row when it has one, and the geometry of its charts, computed here so that
templates only print attributes (the CSP forbids inline styles and scripts).
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from matchmaking.models import (
    PIPELINE,
    ActivityType,
    CooperationIntention,
    Focus,
    IntentionTransition,
    Mechanism,
    Stage,
)

WORKSHOP_REPORTS = ("intentions", "activities", "topics", "funnel", "matrix")
CROSS_REPORTS = ("funnel", "matrix")
NOT_DEFINED = "_none"


@dataclass
class Report:
    key: str
    title: str
    description: str
    header: list
    rows: list
    footer: list | None = None
    charts: list = field(default_factory=list)
    # Index of the first column of numbers (right-aligned in the table); the columns after
    # it hold numbers too.
    first_number_column: int = 1


def intentions_of(workshop):
    return (CooperationIntention.objects.filter(workshop=workshop)
            .select_related("demanding__country", "offer__profile", "workshop")
            .prefetch_related("suppliers__country").order_by("number"))


def topic_labels(keys=None):
    from programs.models import Topic

    topics = Topic.objects.all() if keys is None else Topic.objects.filter(key__in=list(keys))
    return {topic.key: topic.name for topic in topics}


def party_name(delegation):
    """A country delegation by its country's name in the active language."""
    if delegation.kind == "country" and delegation.country_id:
        return delegation.country.name
    return delegation.name


def supplier_names(intention):
    names = [party_name(supplier) for supplier in intention.suppliers.all()]
    return ", ".join(names) if names else _("Not defined")


# -- charts -----------------------------------------------------------------------------------

def bar_chart(title, items, *, width=640, bar_height=20, gap=6, label_width=300):
    """A horizontal bar chart of (label, value) pairs."""
    items = list(items)
    most = max((value for _label, value in items), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        y = index * (bar_height + gap)
        length = round(value / most * (width - label_width - 48), 1)
        bars.append({"label": label, "value": value, "y": y,
                     "text_y": round(y + bar_height * 0.7, 1), "length": length,
                     "value_x": round(label_width + length + 6, 1)})
    return {"kind": "bars", "title": title, "bars": bars, "width": width,
            "height": max(len(items), 1) * (bar_height + gap), "bar_height": bar_height,
            "label_width": label_width, "label_x": label_width - 8}


def heat_map(title, row_labels, column_labels, cells, *, cell=26, label_width=200,
             label_height=110):
    """A grid of squares, darker for larger counts; `cells[r][c]` are counts."""
    most = max((value for row in cells for value in row), default=0) or 1
    squares = []
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            squares.append({
                "x": label_width + c * cell, "y": label_height + r * cell, "value": value,
                "opacity": round(0.12 + 0.88 * value / most, 2) if value else 0,
                "text_x": label_width + c * cell + cell / 2,
                "text_y": label_height + r * cell + cell * 0.68})
    return {
        "kind": "grid", "title": title, "cell": cell, "squares": squares,
        "rows": [{"label": label, "y": label_height + r * cell + cell * 0.68}
                 for r, label in enumerate(row_labels)],
        "columns": [{"label": label, "x": label_width + c * cell + cell * 0.65,
                     "y": label_height - 6} for c, label in enumerate(column_labels)],
        "label_x": label_width - 6,
        "width": label_width + max(len(column_labels), 1) * cell + 10,
        "height": label_height + max(len(row_labels), 1) * cell + 10,
    }


# -- counts -----------------------------------------------------------------------------------

def activity_counts(intentions):
    """Table 3: intentions per activity type (an intention counts once for each of its
    types), per mechanism and per focus, each with the unanswered ones."""
    activity, mechanism, focus = Counter(), Counter(), Counter()
    for intention in intentions:
        activity.update(intention.activity_types or [NOT_DEFINED])
        mechanism[intention.mechanism or NOT_DEFINED] += 1
        focus[intention.focus or NOT_DEFINED] += 1
    return {
        "activity_types": {key: activity[key] for key in [*ActivityType.values, NOT_DEFINED]},
        "mechanisms": {key: mechanism[key] for key in [*Mechanism.values, NOT_DEFINED]},
        "focus": {key: focus[key] for key in [*Focus.values, NOT_DEFINED]},
    }


def topic_counts(intentions):
    """Intentions per topic, most demanded first (Graph 1)."""
    counts = Counter(intention.topic or NOT_DEFINED for intention in intentions)
    labels = topic_labels(counts)
    return sorted(((key, labels.get(key, _("No topic") if key == NOT_DEFINED else key), count)
                   for key, count in counts.items()),
                  key=lambda item: (-item[2], item[1].casefold()))


def furthest_stages(intentions):
    """{intention id: index in PIPELINE of the furthest stage it ever reached}."""
    ids = [intention.pk for intention in intentions]
    furthest = dict.fromkeys(ids, 0)
    for intention_id, stage in IntentionTransition.objects.filter(
            intention_id__in=ids).exclude(to_stage=Stage.DROPPED).values_list(
            "intention_id", "to_stage"):
        furthest[intention_id] = max(furthest[intention_id], PIPELINE.index(stage))
    return furthest


def funnel_counts(intentions):
    """For each stage: how many intentions ever reached it (or a later one), and how many
    are at it now; `dropped` counts the intentions dropped now."""
    intentions = list(intentions)
    furthest = furthest_stages(intentions)
    now = Counter(intention.stage for intention in intentions)
    reached = {stage.value: sum(1 for index in furthest.values() if index >= position)
               for position, stage in enumerate(PIPELINE)}
    return reached, {stage.value: now[stage.value] for stage in Stage}


def party(delegation):
    """(key, label, short label) of a party: its country for a country delegation, so that
    workshops add up; the delegation itself otherwise."""
    if delegation.country_id and delegation.kind == "country":
        country = delegation.country
        return f"country:{country.iso3}", country.name, country.iso3
    return f"delegation:{delegation.name}", delegation.name, delegation.key[:12]


def cooperation_matrix(intentions):
    """(parties demanding, parties supplying, counts): counts[(demanding key, supplying key)]
    is the number of intentions; a supplier not yet defined is its own column."""
    demanding, supplying, counts = {}, {}, Counter()
    for intention in intentions:
        row = party(intention.demanding)
        demanding[row[0]] = row
        suppliers = [party(supplier) for supplier in intention.suppliers.all()]
        if not suppliers:
            suppliers = [(NOT_DEFINED, _("Not defined"), "?")]
        for column in suppliers:
            supplying[column[0]] = column
            counts[(row[0], column[0])] += 1
    return _ordered(demanding), _ordered(supplying), counts


def _ordered(parties):
    """By name, the undefined supplier last."""
    return sorted(parties.values(),
                  key=lambda item: (item[0] == NOT_DEFINED, item[1].casefold()))


# -- the reports ------------------------------------------------------------------------------

def intentions_report(intentions):
    intentions = list(intentions)
    topics = topic_labels()
    rows = [[
        intention.number, party_name(intention.demanding), supplier_names(intention),
        topics.get(intention.topic, intention.topic),
        intention.offer.title if intention.offer_id else "",
        ", ".join(intention.activity_type_labels()),
        intention.get_mechanism_display() if intention.mechanism else "",
        intention.get_focus_display() if intention.focus else "",
        intention.focus_component, intention.get_stage_display(),
        _("yes") if intention.selected_for_funding else "",
    ] for intention in intentions]
    per_demanding = Counter(party_name(intention.demanding) for intention in intentions)
    header = [_("No."), _("Demanding"), _("Supplying"), _("Topic"), _("Program"),
              _("Activity types"), _("Mechanism"), _("Focus"), _("Component"), _("Stage"),
              _("Selected for funding")]
    return Report(
        key="intentions", title=_("Cooperation intentions"),
        description=_("Every intention: who demands, who supplies, the topic and program, the "
                      "preferred activities, mechanism and focus, and the stage reached."),
        header=header, rows=rows, first_number_column=len(header),  # words only
        charts=[bar_chart(_("Intentions per demanding delegation"),
                          sorted(per_demanding.items(), key=lambda item: (-item[1], item[0])))])


def activities_report(intentions):
    counts = activity_counts(intentions)
    unanswered = _("No answer")
    sections = [
        (_("Activity type"), counts["activity_types"], dict(ActivityType.choices)),
        (_("Cooperation mechanism"), counts["mechanisms"], dict(Mechanism.choices)),
        (_("Focus"), counts["focus"], dict(Focus.choices)),
    ]
    rows, charts = [], []
    for heading, section, labels in sections:
        items = [(str(labels.get(key, unanswered)), count) for key, count in section.items()]
        rows.extend([heading, label, count] for label, count in items)
        charts.append(bar_chart(heading, items))
    return Report(
        key="activities", title=_("Types of cooperation activities"),
        description=_("Intentions per preferred activity type (an intention may name several), "
                      "per cooperation mechanism and per focus, with those left unanswered."),
        header=[_("Question"), _("Answer"), _("Intentions")], rows=rows, charts=charts,
        first_number_column=2)


def topics_report(intentions):
    items = topic_counts(intentions)
    return Report(
        key="topics", title=_("Demand by topic"),
        description=_("Intentions per topic of the program demanded, most demanded first."),
        header=[_("Topic"), _("Intentions")],
        rows=[[label, count] for _key, label, count in items],
        footer=[_("Total"), sum(count for *_rest, count in items)],
        charts=[bar_chart(_("Intentions per topic"),
                          [(label, count) for _key, label, count in items])])


def funnel_report(intentions):
    reached, now = funnel_counts(intentions)
    labels = dict(Stage.choices)
    rows = [[str(labels[stage]), reached[stage], now[stage]] for stage in PIPELINE]
    rows.append([str(labels[Stage.DROPPED]), "", now[Stage.DROPPED]])
    return Report(
        key="funnel", title=_("From intention to completed"),
        description=_("How many intentions reached each stage (or a later one) and how many "
                      "are at it now; dropped intentions count at the stages they reached "
                      "before."),
        header=[_("Stage"), _("Reached"), _("At this stage now")], rows=rows,
        footer=[_("Total"), "", sum(now.values())],
        charts=[bar_chart(_("Intentions that reached each stage"),
                          [(str(labels[stage]), reached[stage]) for stage in PIPELINE])])


def matrix_report(intentions):
    demanding, supplying, counts = cooperation_matrix(intentions)
    cells = [[counts[(row[0], column[0])] for column in supplying] for row in demanding]
    rows = [[row[1], *cells[index], sum(cells[index])] for index, row in enumerate(demanding)]
    totals = [sum(row[index] for row in cells) for index in range(len(supplying))]
    return Report(
        key="matrix", title=_("Country-to-country cooperation"),
        description=_("Intentions by demanding party (rows) and supplying party (columns); an "
                      "intention with two suppliers counts in both columns."),
        header=[_("Demanding \\ supplying"), *[column[1] for column in supplying], _("Total")],
        rows=rows, footer=[_("Total"), *totals, sum(totals)],
        charts=[heat_map(_("Intentions between parties"), [row[2] for row in demanding],
                         [column[2] for column in supplying], cells)])


BUILDERS = {"intentions": intentions_report, "activities": activities_report,
            "topics": topics_report, "funnel": funnel_report, "matrix": matrix_report}


def workshop_report(workshop, key):
    return BUILDERS[key](intentions_of(workshop))


def cross_workshop_report(workshops, key):
    """The funnel per workshop (a row each, with the totals), or the matrix of all of them."""
    workshops = list(workshops)
    intentions = list(CooperationIntention.objects.filter(workshop__in=workshops)
                      .select_related("demanding__country", "workshop")
                      .prefetch_related("suppliers__country"))
    if key == "matrix":
        report = matrix_report(intentions)
        report.description = _("Intentions of every workshop you organise, by demanding party "
                               "(rows) and supplying party (columns).")
        return report
    labels = dict(Stage.choices)
    rows, total_reached = [], Counter()
    for workshop in workshops:
        own = [intention for intention in intentions if intention.workshop_id == workshop.pk]
        reached, now = funnel_counts(own)
        total_reached.update(reached)
        rows.append([workshop.name, len(own), *[reached[stage] for stage in PIPELINE[1:]],
                     now[Stage.DROPPED]])
    _reached_all, now_all = funnel_counts(intentions)
    footer = [_("Total"), len(intentions), *[total_reached[stage] for stage in PIPELINE[1:]],
              now_all[Stage.DROPPED]]
    return Report(
        key="funnel", title=_("From intention to completed, across workshops"),
        description=_("Per workshop: the intentions recorded, how many reached each later "
                      "stage, and how many are dropped now."),
        header=[_("Workshop"), *[str(labels[stage]) for stage in PIPELINE],
                str(labels[Stage.DROPPED])],
        rows=rows, footer=footer,
        charts=[bar_chart(_("Intentions that reached each stage, all workshops"),
                          [(str(labels[stage]), total_reached[stage]) for stage in PIPELINE])])


# -- files ------------------------------------------------------------------------------------

def _lines(report):
    return [report.header, *report.rows, *([report.footer] if report.footer else [])]


def report_csv(report):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_lines(report))
    return buffer.getvalue()


def report_xlsx(report):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = report.title[:31]
    for line in _lines(report):
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if report.footer:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

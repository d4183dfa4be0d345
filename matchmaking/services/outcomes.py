"""Cooperation intentions: recording them, moving them along the follow-up pipeline,
selecting them for funding and reminding the parties of stalled ones.

Every write either completes in one transaction or changes nothing, and refuses bad input with
an `OutcomeError` whose message names what is wrong.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.models import (
    CLOSED_STAGES,
    PIPELINE,
    ActivityType,
    CooperationIntention,
    Delegation,
    Focus,
    IntentionReminder,
    IntentionTransition,
    Mechanism,
    Offer,
    OutcomeReport,
    Stage,
    Workshop,
)
from matchmaking.permissions import may_edit_intention, organises
from matchmaking.services.reminders import recipients_of
from portal.page_cache import content_changed

STALLED_AFTER = timedelta(days=90)
# A transition dated a little ahead of the server's clock (a phone's clock) is still "now".
CLOCK_TOLERANCE = timedelta(minutes=5)


class OutcomeError(Exception):
    """Refused input; the message is for the user."""


@dataclass
class IntentionFields:
    """What describes an intention, as a form or the demo hands it over."""

    demanding: Delegation
    suppliers: list = field(default_factory=list)
    offer: Offer | None = None
    topic: str = ""
    activity_types: list = field(default_factory=list)
    mechanism: str = ""
    focus: str = ""
    focus_component: str = ""
    expected_start: object = None
    expected_end: object = None
    contacts: str = ""
    notes: str = ""


def _checked(workshop, fields):
    """`fields` made consistent, or an OutcomeError naming the first problem."""
    from programs.models import Topic

    if fields.demanding is None or fields.demanding.workshop_id != workshop.pk:
        raise OutcomeError(_("Choose the demanding delegation among this workshop's."))
    suppliers = list(dict.fromkeys(fields.suppliers or []))
    if any(supplier.workshop_id != workshop.pk for supplier in suppliers):
        raise OutcomeError(_("Choose the supplying delegations among this workshop's."))
    if fields.demanding in suppliers:
        raise OutcomeError(_("A delegation cannot supply its own demand: remove %(name)s from "
                             "the supplying delegations.") % {"name": fields.demanding})
    if fields.offer is not None and fields.offer.workshop_id != workshop.pk:
        raise OutcomeError(_("Choose the program among the offers of this workshop."))
    topic = (fields.topic or "").strip()
    if not topic and fields.offer is not None and fields.offer.topics:
        topic = fields.offer.topics[0]
    if topic and not Topic.objects.filter(key=topic).exists():
        raise OutcomeError(_("Unknown topic “%(topic)s”.") % {"topic": topic})
    activity_types = list(dict.fromkeys(fields.activity_types or []))
    unknown = [key for key in activity_types if key not in ActivityType.values]
    if unknown:
        raise OutcomeError(_("Unknown activity type “%(key)s”.") % {"key": unknown[0]})
    if fields.mechanism and fields.mechanism not in Mechanism.values:
        raise OutcomeError(_("Unknown cooperation mechanism “%(key)s”.")
                           % {"key": fields.mechanism})
    if fields.focus and fields.focus not in Focus.values:
        raise OutcomeError(_("Unknown focus “%(key)s”.") % {"key": fields.focus})
    component = (fields.focus_component or "").strip()
    if fields.focus == Focus.SPECIFIC_COMPONENT and not component:
        raise OutcomeError(_("Name the component the cooperation focuses on."))
    if component and fields.focus != Focus.SPECIFIC_COMPONENT:
        raise OutcomeError(_("A component is named only when the focus is a specific "
                             "component."))
    if (fields.expected_start and fields.expected_end
            and fields.expected_end < fields.expected_start):
        raise OutcomeError(_("The expected end comes before the expected start."))
    return IntentionFields(
        demanding=fields.demanding, suppliers=suppliers, offer=fields.offer, topic=topic,
        activity_types=activity_types, mechanism=fields.mechanism or "",
        focus=fields.focus or "", focus_component=component,
        expected_start=fields.expected_start, expected_end=fields.expected_end,
        contacts=(fields.contacts or "").strip(), notes=(fields.notes or "").strip())


def _require_party(user, workshop, fields):
    if user is None or organises(user, workshop):
        return
    parties = [fields.demanding, *fields.suppliers]
    if not Delegation.objects.filter(pk__in=[party.pk for party in parties],
                                     members__user=user).exists():
        raise OutcomeError(_("You can record only intentions your delegation is party to, "
                             "as the demanding or a supplying delegation."))


def _apply(intention, fields):
    for name in ("demanding", "offer", "topic", "activity_types", "mechanism", "focus",
                 "focus_component", "expected_start", "expected_end", "contacts", "notes"):
        setattr(intention, name, getattr(fields, name))


def record_intention(workshop, fields, *, by=None, number=None, recorded_at=None):
    """A new intention at the first stage. `by` None is the system (demo, import)."""
    fields = _checked(workshop, fields)
    _require_party(by, workshop, fields)
    recorded_at = recorded_at or timezone.now()
    with transaction.atomic():
        # Numbers follow the order of recording; the lock keeps two phones from taking one.
        Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
        if number is None:
            number = (workshop.intentions.aggregate(most=Max("number"))["most"] or 0) + 1
        elif workshop.intentions.filter(number=number).exists():
            raise OutcomeError(_("Intention number %(number)d exists already.")
                               % {"number": number})
        intention = CooperationIntention(workshop=workshop, number=number, created_by=by,
                                         created_at=recorded_at, stage=Stage.INTENTION,
                                         stage_changed_at=recorded_at)
        _apply(intention, fields)
        intention.save()
        intention.suppliers.set(fields.suppliers)
        IntentionTransition.objects.create(intention=intention, to_stage=Stage.INTENTION,
                                           moved_at=recorded_at, moved_by=by)
        _report_changed(workshop)
    return intention


def update_intention(intention, fields, *, by):
    """Change what the intention says (not its stage); its parties must still include the
    editor's delegation unless they organise the workshop."""
    if not may_edit_intention(by, intention):
        raise OutcomeError(_("Only the delegations party to this intention and the workshop's "
                             "organisers may change it."))
    fields = _checked(intention.workshop, fields)
    _require_party(by, intention.workshop, fields)
    with transaction.atomic():
        _apply(intention, fields)
        intention.save()
        intention.suppliers.set(fields.suppliers)
        _report_changed(intention.workshop)
    return intention


def is_backwards(from_stage, to_stage):
    """Leaving `dropped`, or going to an earlier stage of the pipeline."""
    if from_stage == Stage.DROPPED:
        return True
    if to_stage == Stage.DROPPED:
        return False
    return PIPELINE.index(to_stage) < PIPELINE.index(from_stage)


def move_intention(intention, to_stage, *, by, moved_at=None, comment="", now=None):
    """Record a transition to `to_stage`. Going back needs a comment; a transition is never
    dated before the previous one, nor in the future."""
    if by is not None and not may_edit_intention(by, intention):
        raise OutcomeError(_("Only the delegations party to this intention and the workshop's "
                             "organisers may move it."))
    if to_stage not in Stage.values:
        raise OutcomeError(_("Unknown stage “%(stage)s”.") % {"stage": to_stage})
    now = now or timezone.now()
    moved_at = moved_at or now
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = CooperationIntention.objects.select_for_update().get(pk=intention.pk)
        if to_stage == locked.stage:
            raise OutcomeError(_("The intention is at the stage “%(stage)s” already.")
                               % {"stage": Stage(to_stage).label})
        if is_backwards(locked.stage, to_stage) and not comment:
            raise OutcomeError(_("Moving back from “%(from)s” to “%(to)s” needs a comment "
                                 "saying why.") % {"from": Stage(locked.stage).label,
                                                   "to": Stage(to_stage).label})
        previous = locked.transitions.order_by("-moved_at", "-pk").first()
        if previous is not None and moved_at < previous.moved_at:
            raise OutcomeError(_("The date %(date)s comes before the previous transition "
                                 "(%(previous)s); transitions are dated in order.") % {
                "date": timezone.localtime(moved_at).strftime("%Y-%m-%d"),
                "previous": timezone.localtime(previous.moved_at).strftime("%Y-%m-%d")})
        if moved_at > now + CLOCK_TOLERANCE:
            raise OutcomeError(_("A transition cannot be dated in the future."))
        transition = IntentionTransition.objects.create(
            intention=locked, from_stage=locked.stage, to_stage=to_stage, moved_at=moved_at,
            moved_by=by, comment=comment, recorded_at=now)
        locked.stage = to_stage
        locked.stage_changed_at = moved_at
        locked.save(update_fields=["stage", "stage_changed_at"])
        _report_changed(locked.workshop)
    intention.stage, intention.stage_changed_at = locked.stage, locked.stage_changed_at
    return transition


def select_for_funding(intention, *, by, amount, currency, source, selected_at=None,
                       comment="", now=None):
    """An organiser's decision to fund the intention, with amount and source. An intention
    not yet funded moves to `funded`."""
    if by is not None and not organises(by, intention.workshop):
        raise OutcomeError(_("Only the workshop's organisers select intentions for funding."))
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise OutcomeError(_("The amount must be a number.")) from None
    if not amount.is_finite() or amount <= 0:
        raise OutcomeError(_("The amount must be more than zero."))
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise OutcomeError(_("Give the currency as a three-letter code, such as USD."))
    source = (source or "").strip()
    if not source:
        raise OutcomeError(_("Name the source of the funding."))
    if intention.stage == Stage.DROPPED:
        raise OutcomeError(_("A dropped intention cannot be funded; move it back first."))
    with transaction.atomic():
        if PIPELINE.index(intention.stage) < PIPELINE.index(Stage.FUNDED):
            move_intention(intention, Stage.FUNDED, by=by, moved_at=selected_at, now=now,
                           comment=comment or _("Selected for funding: %(amount)s %(currency)s "
                                                "from %(source)s.") % {
                               "amount": amount, "currency": currency, "source": source})
        CooperationIntention.objects.filter(pk=intention.pk).update(
            selected_for_funding=True, funding_amount=amount, funding_currency=currency,
            funding_source=source)
        content_changed()
        _report_changed(intention.workshop)
    intention.refresh_from_db()
    return intention


# -- the public outcome report ----------------------------------------------------------------

def save_outcome_report(workshop, data, *, by, publish=False, today=None):
    """Create or change the workshop's report; `publish` makes it public (dated the first
    time). Both languages are required: the report is published in both at once."""
    if by is not None and not organises(by, workshop):
        raise OutcomeError(_("Only the workshop's organisers edit its outcome report."))
    values = {name: (data.get(name) or "").strip()
              for name in ("title_en", "title_es", "summary_en", "summary_es")}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise OutcomeError(_("The report needs a title and a summary in English and in "
                             "Spanish; missing: %(fields)s.") % {"fields": ", ".join(missing)})
    with transaction.atomic():
        report, _created = OutcomeReport.objects.select_for_update().get_or_create(
            workshop=workshop, defaults=values)
        for name, value in values.items():
            setattr(report, name, value)
        if publish:
            report.is_published = True
            report.published_on = report.published_on or today or timezone.localdate()
        report.save()
    return report


def set_report_published(report, published, *, by, today=None):
    if by is not None and not organises(by, report.workshop):
        raise OutcomeError(_("Only the workshop's organisers publish its outcome report."))
    with transaction.atomic():
        report.is_published = published
        if published:
            report.published_on = report.published_on or today or timezone.localdate()
        report.save(update_fields=["is_published", "published_on", "updated_at"])
    return report


def _report_changed(workshop):
    """The public report lists the intentions: re-index it when one changes."""
    from search.signals import schedule_sync

    report_id = OutcomeReport.objects.filter(workshop=workshop).values_list(
        "pk", flat=True).first()
    if report_id is not None:
        schedule_sync("outcome_report", report_id)


# -- reminders --------------------------------------------------------------------------------

def stalled_intentions(now=None):
    """Open intentions whose stage has not changed for 90 days."""
    now = now or timezone.now()
    return (CooperationIntention.objects.exclude(stage__in=CLOSED_STAGES)
            .filter(stage_changed_at__lte=now - STALLED_AFTER)
            .select_related("workshop", "demanding").prefetch_related("suppliers")
            .order_by("workshop", "number"))


def _reminded_recently(intention, delegation, today):
    """One reminder per party per 90 days of stillness: none again until the intention moves
    or 90 days pass."""
    since = max(timezone.localtime(intention.stage_changed_at).date(),
                today - STALLED_AFTER + timedelta(days=1))
    return intention.reminders.filter(delegation=delegation, sent_on__gte=since).exists()


def send_stalled_reminders(now=None):
    """E-mail each party of a stalled intention (one message per delegation, listing its
    stalled intentions). Safe to run every day: returns (reminded {delegation: [intentions]},
    delegations without any address)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = {}
    for intention in stalled_intentions(now):
        for delegation in [intention.demanding, *intention.suppliers.all()]:
            if not _reminded_recently(intention, delegation, today):
                due.setdefault(delegation, []).append(intention)
    reminded, unreachable = {}, []
    for delegation, intentions in due.items():
        addresses = recipients_of(delegation)
        if not addresses:
            unreachable.append(delegation)
            continue
        try:
            with transaction.atomic():
                for intention in intentions:
                    IntentionReminder.objects.create(intention=intention, delegation=delegation,
                                                     sent_on=today, recipients=addresses)
                # Inside the transaction: a failed send leaves no record, so the next run
                # tries again.
                _send_reminder(delegation, intentions, addresses)
        except IntegrityError:
            continue
        reminded[delegation] = intentions
    return reminded, unreachable


def _send_reminder(delegation, intentions, addresses):
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    items = [{"intention": intention,
              "url": base_url + reverse("matchmaking:intention_detail",
                                        args=[intention.workshop.slug, intention.number])}
             for intention in intentions]
    context = {"delegation": delegation, "items": items, "days": STALLED_AFTER.days}
    subject = render_to_string("matchmaking/email/intention_reminder_subject.txt", context)
    body = render_to_string("matchmaking/email/intention_reminder.txt", context)
    send_mail(" ".join(subject.split()), body, None, addresses)

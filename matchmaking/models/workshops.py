"""Cooperation workshops: who offers what, who wants what, and the negotiation rounds.

Every entity that the optimiser sees carries a `key`, its id in the negotiation-rounds/1
exchange format (../shared/matchmaking/FORMAT.md), unique within its workshop, so that a
workshop round-trips through the command line and an instance maps back to rows.
"""

from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

TIME_ZONES = sorted((zone, zone) for zone in available_timezones() if "/" in zone)

KEY_HELP = _("Its id in the workshop's exchange files; letters, digits, - and _ only.")


class Workshop(ClusterableModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONES,
                                 default="America/Bogota")
    min_attendees = models.PositiveIntegerField(
        _("fewest attending delegations per round"), default=2,
        help_text=_("A round runs only with at least this many delegations listening "
                    "(the presenter not counted)."))
    bilateral = models.BooleanField(
        _("bilateral one-to-one meetings"), default=False,
        help_text=_("Tables of one partner each: every meeting joins one presenting and one "
                    "requesting delegation."))
    max_requests = models.PositiveIntegerField(
        _("most ranked requests per delegation"), default=10,
        validators=[MinValueValidator(1)])
    offers_deadline = models.DateTimeField(_("offers close"), null=True, blank=True)
    requests_deadline = models.DateTimeField(_("requests close"), null=True, blank=True)
    requests_need_answer = models.BooleanField(
        _("requests need the offering delegation's answer"), default=False,
        help_text=_("When ticked, a request reaches the optimiser only once the delegation "
                    "that offers the program has accepted it; otherwise requests are "
                    "accepted automatically."))
    min_rounds = models.PositiveIntegerField(
        _("fewest rounds per delegation"), null=True, blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The fair objective first gives as many delegations as it can at least "
                    "this many rounds (all they asked for, when they asked for fewer). "
                    "Empty: no minimum."))
    answers_due = models.DateTimeField(
        _("answer by"), null=True, blank=True,
        help_text=_("Delegations that have ranked nothing, or left requests for their offers "
                    "unanswered, are reminded once in the three days before this date."))
    # When the published version last changed: the organisers' digest lists what changed
    # since then.
    published_at = models.DateTimeField(_("last published"), null=True, blank=True,
                                        editable=False)
    organisers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisers"), blank=True,
        related_name="organised_workshops")
    current_version = models.ForeignKey(
        "ScheduleVersion", verbose_name=_("working schedule"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    published_version = models.ForeignKey(
        "ScheduleVersion", verbose_name=_("published schedule"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    # A version shared with the delegations as provisional, for their comments; the next
    # final publication clears it.
    provisional_version = models.ForeignKey(
        "ScheduleVersion", verbose_name=_("provisional schedule"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day comes before the first.")})

    def accepts_requests(self, now=None):
        return self.requests_deadline is None or (now or timezone.now()) <= self.requests_deadline

    def accepts_offers(self, now=None):
        return self.offers_deadline is None or (now or timezone.now()) <= self.offers_deadline


class Session(models.Model):
    """A time slot in which several rooms work at once."""

    workshop = ParentalKey(Workshop, related_name="sessions", on_delete=models.CASCADE)
    key = models.SlugField(_("key"), max_length=40, help_text=KEY_HELP)
    label = models.CharField(_("label"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "key"]
        constraints = [models.UniqueConstraint(fields=["workshop", "key"],
                                               name="unique_session_key")]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return self.label or self.key

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})


class Room(ClusterableModel):
    workshop = ParentalKey(Workshop, related_name="rooms", on_delete=models.CASCADE)
    key = models.SlugField(_("key"), max_length=40, help_text=KEY_HELP)
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1)],
        help_text=_("Most attending delegations (the presenter not counted)."))
    sessions = ParentalManyToManyField(
        Session, verbose_name=_("usable in sessions"), blank=True, related_name="rooms",
        help_text=_("Leave empty when the room is usable in every session."))
    hosts = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("hosts"), blank=True,
        related_name="hosted_rooms",
        help_text=_("People who check delegations in at this room on the day, besides the "
                    "organisers."))

    class Meta:
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["workshop", "key"],
                                               name="unique_room_key")]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self):
        return self.name


class DelegationKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    INSTITUTION = "institution", _("Institution")
    SUBREGIONAL_MECHANISM = "subregional_mechanism", _("Subregional mechanism")


class Delegation(ClusterableModel):
    """A party at the workshop: a country, an institution or a subregional mechanism."""

    workshop = ParentalKey(Workshop, related_name="delegations", on_delete=models.CASCADE)
    key = models.SlugField(_("key"), max_length=64, help_text=KEY_HELP)
    kind = models.CharField(_("kind"), max_length=32, choices=DelegationKind.choices)
    country = models.ForeignKey("portal.Country", verbose_name=_("country"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey("portal.Institution", verbose_name=_("institution"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    name = models.CharField(_("name"), max_length=200)
    delegates = models.PositiveIntegerField(
        _("number of delegates"), default=1, validators=[MinValueValidator(1)],
        help_text=_("How many rounds the delegation can be in at once."))
    unavailable_sessions = ParentalManyToManyField(
        Session, verbose_name=_("sessions it cannot attend"), blank=True, related_name="+")
    max_attended = models.PositiveIntegerField(
        _("most rounds attended"), null=True, blank=True,
        help_text=_("Over the whole workshop, its own presentations not counted. Empty: no "
                    "limit."))

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workshop", "key"],
                                               name="unique_delegation_key")]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == DelegationKind.COUNTRY and self.country_id is None:
            raise ValidationError({"country": _("A country delegation names its country.")})
        if self.kind != DelegationKind.COUNTRY and self.institution_id is None:
            raise ValidationError({"institution": _("Name the institution or mechanism.")})


class Delegate(models.Model):
    """A named member of a delegation; with an account, they see its agenda and requests."""

    delegation = ParentalKey(Delegation, related_name="members", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True,
                             blank=True, on_delete=models.SET_NULL,
                             related_name="workshop_delegations")

    class Meta:
        ordering = ["name"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")

    def __str__(self):
        return self.name


class Offer(models.Model):
    """A program profile a delegation presents at the workshop."""

    workshop = models.ForeignKey(Workshop, related_name="offers", on_delete=models.CASCADE)
    key = models.SlugField(_("key"), max_length=80, help_text=KEY_HELP)
    delegation = models.ForeignKey(Delegation, verbose_name=_("presented by"),
                                   related_name="offers", on_delete=models.CASCADE)
    profile = models.ForeignKey("programs.ProgramProfilePage", verbose_name=_("program"),
                                null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="workshop_offers")
    title = models.CharField(
        _("title"), max_length=255,
        help_text=_("Kept with the offer so that agendas stay readable if the profile "
                    "changes."))
    max_repeats = models.PositiveIntegerField(
        _("how often it can be presented"), default=1, validators=[MinValueValidator(1)])
    topics = models.JSONField(
        _("topics"), default=list, blank=True,
        help_text=_("Topic keys, copied from the program profile when there is one; the "
                    "optimiser's reports group offers by them."))

    class Meta:
        ordering = ["delegation__name", "title"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "key"], name="unique_offer_key"),
            models.UniqueConstraint(fields=["workshop", "profile"],
                                    condition=models.Q(profile__isnull=False),
                                    name="one_offer_per_profile"),
        ]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self):
        return self.title


class RequestAnswer(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Request(models.Model):
    """A delegation's wish to hear an offer, ranked (1 = most wanted).

    With `Workshop.requests_need_answer`, the offering delegation accepts or declines it;
    only accepted requests then reach the optimiser. A declined request never does.
    """

    delegation = models.ForeignKey(Delegation, related_name="requests", on_delete=models.CASCADE)
    offer = models.ForeignKey(Offer, related_name="requests", on_delete=models.CASCADE)
    rank = models.PositiveIntegerField(_("rank"), validators=[MinValueValidator(1)])
    weight = models.FloatField(
        _("weight"), null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("Overrides the rank rule (rank 1 is worth 1.0, rank 10 and beyond 0.1)."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    answer = models.CharField(_("answer"), max_length=16, choices=RequestAnswer.choices,
                              default=RequestAnswer.PENDING)
    answer_message = models.TextField(_("message with the answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["delegation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "offer"], name="one_request_per_offer"),
        ]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self):
        return f"{self.delegation} → {self.offer} (#{self.rank})"


class RequestReminder(models.Model):
    """A reminder e-mailed to a delegation that had made no request yet; one a day at most."""

    delegation = models.ForeignKey(Delegation, related_name="reminders",
                                   on_delete=models.CASCADE)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.JSONField(_("recipients"), default=list)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["delegation", "sent_on"],
                                               name="one_reminder_a_day")]
        verbose_name = _("request reminder")
        verbose_name_plural = _("request reminders")

    def __str__(self):
        return f"{self.delegation} ({self.sent_on})"


class ScheduleExclusion(models.Model):
    """A delegation asks never to meet another in one-to-one (bilateral) meetings; the pair is
    kept apart whichever of the two asked."""

    delegation = models.ForeignKey(Delegation, related_name="exclusions",
                                   on_delete=models.CASCADE)
    other = models.ForeignKey(Delegation, verbose_name=_("do not schedule with"),
                              related_name="excluded_by", on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["delegation", "other__name"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "other"], name="one_exclusion_per_pair"),
            models.CheckConstraint(condition=~models.Q(delegation=models.F("other")),
                                   name="exclusion_of_another_delegation"),
        ]
        verbose_name = _("do-not-schedule mark")
        verbose_name_plural = _("do-not-schedule marks")

    def __str__(self):
        return f"{self.delegation} ≠ {self.other}"


class NudgeKind(models.TextChoices):
    RANK = "rank", _("Rank offers")
    ANSWER = "answer", _("Answer requests")


class Nudge(models.Model):
    """A reminder sent before a workshop's "answer by" date; one per delegation, kind and
    date, so the daily command can run any number of times."""

    delegation = models.ForeignKey(Delegation, related_name="nudges", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=16, choices=NudgeKind.choices)
    due = models.DateTimeField(_("answer by"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.JSONField(_("recipients"), default=list)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["delegation", "kind", "due"],
                                               name="one_nudge_per_due_date")]
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")

    def __str__(self):
        return f"{self.delegation}: {self.get_kind_display()} ({self.due:%Y-%m-%d})"


class ChangeKind(models.TextChoices):
    REQUEST_ADDED = "request_added", _("Request added")
    REQUEST_REMOVED = "request_removed", _("Request withdrawn")
    REQUEST_RERANKED = "request_reranked", _("Request ranked anew")
    REQUEST_ACCEPTED = "request_accepted", _("Request accepted")
    REQUEST_DECLINED = "request_declined", _("Request declined")
    OFFER_ADDED = "offer_added", _("Offer added")
    OFFER_REMOVED = "offer_removed", _("Offer withdrawn")
    OFFER_CHANGED = "offer_changed", _("Offer changed")


class WorkshopChange(models.Model):
    """One change of supply, demand or answers, for the organisers' digest. Titles and names
    are copied so that the entry stays readable after the offer or request is gone."""

    workshop = models.ForeignKey(Workshop, related_name="changes", on_delete=models.CASCADE)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ChangeKind.choices)
    delegation = models.CharField(_("delegation"), max_length=200)
    offer = models.CharField(_("offer"), max_length=255)
    other = models.CharField(_("other delegation"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("workshop change")
        verbose_name_plural = _("workshop changes")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}: {self.offer}"


class OrganiserDigest(models.Model):
    """A digest e-mailed to a workshop's organisers; one a day at most."""

    workshop = models.ForeignKey(Workshop, related_name="digests", on_delete=models.CASCADE)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    covered_until = models.DateTimeField(_("changes up to"))
    recipients = models.JSONField(_("recipients"), default=list)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["workshop", "sent_on"],
                                               name="one_digest_a_day")]
        verbose_name = _("organisers' digest")
        verbose_name_plural = _("organisers' digests")

    def __str__(self):
        return f"{self.workshop} ({self.sent_on})"


class VersionSource(models.TextChoices):
    OPTIMISER = "optimiser", _("Optimiser")
    REPAIR = "repair", _("Re-optimised around edits")
    EDIT = "edit", _("Manual edit")
    IMPORT = "import", _("Imported file")


class ScheduleVersion(models.Model):
    """One immutable version of a workshop's rounds; edits create a new version."""

    workshop = models.ForeignKey(Workshop, related_name="schedule_versions",
                                 on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("version"))
    parent = models.ForeignKey("self", verbose_name=_("derived from"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="children")
    source = models.CharField(_("source"), max_length=16, choices=VersionSource.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    objective = models.CharField(_("objective"), max_length=16, blank=True)
    score = models.FloatField(_("score"), default=0)
    upper_bound = models.FloatField(_("upper bound"), null=True, blank=True)
    proven_optimal = models.BooleanField(_("proven optimal"), default=False)
    # The optimiser's report as FORMAT.md writes it (delegations' shares, unmet requests with
    # their reasons, changes), kept verbatim for display; rounds live in Round rows.
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        ordering = ["workshop", "-number"]
        constraints = [models.UniqueConstraint(fields=["workshop", "number"],
                                               name="unique_version_number")]
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")

    def __str__(self):
        return f"{self.workshop} v{self.number}"


class Round(models.Model):
    """One offer presented in one room in one session, to its attending delegations."""

    version = models.ForeignKey(ScheduleVersion, related_name="rounds", on_delete=models.CASCADE)
    offer = models.ForeignKey(Offer, related_name="rounds", on_delete=models.CASCADE)
    session = models.ForeignKey(Session, related_name="rounds", on_delete=models.CASCADE)
    room = models.ForeignKey(Room, related_name="rounds", on_delete=models.CASCADE)
    attendees = models.ManyToManyField(Delegation, related_name="attended_rounds", blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)

    class Meta:
        ordering = ["session__starts_at", "room__key"]
        constraints = [
            models.UniqueConstraint(fields=["version", "session", "room"],
                                    name="one_round_per_room_and_session"),
        ]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self):
        return f"{self.offer} — {self.session} — {self.room}"


class SolveJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class SolveMode(models.TextChoices):
    FRESH = "fresh", _("Fresh build")
    STABLE = "stable", _("Re-optimise, changing as little as possible")
    FILL = "fill", _("Schedule only what is not yet booked")


class SolveJob(models.Model):
    """A run of the optimiser for a workshop, outside the request that started it."""

    workshop = models.ForeignKey(Workshop, related_name="solve_jobs", on_delete=models.CASCADE)
    status = models.CharField(_("status"), max_length=16, choices=SolveJobStatus.choices,
                              default=SolveJobStatus.QUEUED)
    objective = models.CharField(_("objective"), max_length=16, default="demand")
    mode = models.CharField(_("mode"), max_length=8, choices=SolveMode.choices,
                            default=SolveMode.FRESH)
    time_limit = models.FloatField(_("time limit (seconds)"), default=30)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    # The workshop's minimum rounds per delegation when the run started (fair runs only).
    min_rounds = models.PositiveIntegerField(_("fewest rounds per delegation"), default=0)
    base_version = models.ForeignKey(
        ScheduleVersion, verbose_name=_("re-optimised from"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Empty for a fresh build; otherwise the version kept stable."))
    # The instance exactly as the optimiser received it (negotiation-rounds/1).
    instance = models.JSONField(_("instance"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    elapsed = models.FloatField(_("elapsed seconds"), default=0)
    best_score = models.FloatField(_("best score"), null=True, blank=True)
    bound = models.FloatField(_("bound"), null=True, blank=True)
    fraction = models.FloatField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    result = models.ForeignKey(ScheduleVersion, verbose_name=_("resulting version"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("optimiser run")
        verbose_name_plural = _("optimiser runs")

    def __str__(self):
        return f"{self.workshop} — {self.get_status_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_active(self):
        return self.status in {SolveJobStatus.QUEUED, SolveJobStatus.RUNNING}

"""What the negotiation rounds agreed and what became of it: cooperation intentions, their
stage transitions, reminders about stalled ones, and the public outcome report per workshop.

An intention's stage is the `to_stage` of its latest transition; the transitions are the
history (who, when, why), so reports can count how far every intention ever got.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.i18n import pick_language

from .workshops import Delegation, Offer, Workshop


class ActivityType(models.TextChoices):
    ACADEMIC = "academic", _("Academic activities and workshops")
    EXPERT_VISITS = "expert_visits", _("Expert visits")
    VIRTUAL = "virtual", _("Virtual activities and videoconferences")
    INTERNSHIPS = "internships", _("Internships")
    STUDY_TOURS = "study_tours", _("Study tours")
    INFORMATION_SHARING = "information_sharing", _("Information sharing")


class Mechanism(models.TextChoices):
    INTER_INSTITUTIONAL = "inter_institutional", _("Inter-institutional or bilateral agreement")
    REGIONAL_PROGRAM = "regional_program", _("Regional program")
    OTHER = "other", _("Other")


class Focus(models.TextChoices):
    GENERAL = "general", _("General aspects of the program")
    SPECIFIC_COMPONENT = "specific_component", _("A specific component")


class Stage(models.TextChoices):
    INTENTION = "intention", _("Intention")
    PLAN_AGREED = "plan_agreed", _("Plan agreed")
    FUNDING_REQUESTED = "funding_requested", _("Funding requested")
    FUNDED = "funded", _("Funded")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped")


# The pipeline's order; dropped stands outside it (an intention may be dropped at any stage).
PIPELINE = [Stage.INTENTION, Stage.PLAN_AGREED, Stage.FUNDING_REQUESTED, Stage.FUNDED,
            Stage.UNDER_WAY, Stage.COMPLETED]
CLOSED_STAGES = {Stage.COMPLETED, Stage.DROPPED}


class CooperationIntention(models.Model):
    """A demanding delegation's intention to cooperate with one or more supplying ones."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"),
                                 related_name="intentions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    demanding = models.ForeignKey(Delegation, verbose_name=_("demanding delegation"),
                                  related_name="intentions_demanded", on_delete=models.PROTECT)
    suppliers = models.ManyToManyField(
        Delegation, verbose_name=_("supplying delegations"), blank=True,
        related_name="intentions_supplied",
        help_text=_("Leave empty when the supplier is not decided yet."))
    offer = models.ForeignKey(Offer, verbose_name=_("program"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="intentions")
    topic = models.CharField(_("topic"), max_length=80, blank=True)
    activity_types = models.JSONField(_("activity types"), default=list, blank=True)
    mechanism = models.CharField(_("cooperation mechanism"), max_length=32, blank=True,
                                 choices=Mechanism.choices)
    focus = models.CharField(_("focus"), max_length=32, blank=True, choices=Focus.choices)
    focus_component = models.CharField(_("component"), max_length=300, blank=True)
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    expected_end = models.DateField(_("expected end"), null=True, blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices,
                             default=Stage.INTENTION)
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    selected_for_funding = models.BooleanField(_("selected for funding"), default=False)
    funding_amount = models.DecimalField(_("funding amount"), max_digits=12, decimal_places=2,
                                         null=True, blank=True)
    funding_currency = models.CharField(_("currency"), max_length=3, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["workshop", "number"]
        constraints = [models.UniqueConstraint(fields=["workshop", "number"],
                                               name="unique_intention_number")]
        verbose_name = _("cooperation intention")
        verbose_name_plural = _("cooperation intentions")

    def __str__(self):
        return f"{self.workshop} #{self.number}"

    def get_absolute_url(self):
        return reverse("matchmaking:intention_detail", args=[self.workshop.slug, self.number])

    @property
    def is_closed(self):
        return self.stage in CLOSED_STAGES

    def activity_type_labels(self):
        labels = dict(ActivityType.choices)
        return [str(labels.get(key, key)) for key in self.activity_types]


class IntentionTransition(models.Model):
    """One move of an intention from a stage to another: when, by whom and why."""

    intention = models.ForeignKey(CooperationIntention, related_name="transitions",
                                  on_delete=models.CASCADE)
    from_stage = models.CharField(_("from"), max_length=24, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=24, choices=Stage.choices)
    moved_at = models.DateTimeField(_("date"))
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["intention", "moved_at", "pk"]
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")

    def __str__(self):
        return f"{self.intention}: {self.from_stage or '-'} → {self.to_stage}"


class IntentionReminder(models.Model):
    """A reminder e-mailed to a party of an intention that has not moved for 90 days."""

    intention = models.ForeignKey(CooperationIntention, related_name="reminders",
                                  on_delete=models.CASCADE)
    delegation = models.ForeignKey(Delegation, related_name="intention_reminders",
                                   on_delete=models.CASCADE)
    sent_on = models.DateField(_("sent on"))
    recipients = models.JSONField(_("recipients"), default=list)

    class Meta:
        ordering = ["-sent_on"]
        constraints = [models.UniqueConstraint(fields=["intention", "delegation", "sent_on"],
                                               name="one_intention_reminder_a_day")]
        verbose_name = _("intention reminder")
        verbose_name_plural = _("intention reminders")

    def __str__(self):
        return f"{self.intention} → {self.delegation} ({self.sent_on})"


class OutcomeReport(models.Model):
    """The public account of what a workshop's rounds agreed, in both languages."""

    workshop = models.OneToOneField(Workshop, verbose_name=_("workshop"),
                                    related_name="outcome_report", on_delete=models.CASCADE)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    summary_en = models.TextField(_("summary (English)"))
    summary_es = models.TextField(_("summary (Spanish)"))
    is_published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("outcome report")
        verbose_name_plural = _("outcome reports")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matchmaking:outcome_report", args=[self.workshop.slug])

    @property
    def title(self):
        return pick_language(self.title_en, self.title_es)

    @property
    def summary(self):
        return pick_language(self.summary_en, self.summary_es)

    def url_in(self, language):
        with translation.override(language):
            return reverse("matchmaking:outcome_report", args=[self.workshop.slug])

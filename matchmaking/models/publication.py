"""Around a publication: delegations' flags on a provisional schedule, and on the day, who
came to each round (check-in marks sent by the rooms' hosts)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workshops import Delegation, Round, ScheduleVersion

FLAG_MAX_LENGTH = 500


class ScheduleFlag(models.Model):
    """A problem a delegation reports on a round of a version shared as provisional."""

    version = models.ForeignKey(ScheduleVersion, related_name="flags", on_delete=models.CASCADE)
    round = models.ForeignKey(Round, related_name="flags", on_delete=models.CASCADE)
    delegation = models.ForeignKey(Delegation, verbose_name=_("delegation"),
                                   related_name="schedule_flags", on_delete=models.CASCADE)
    text = models.CharField(_("problem"), max_length=FLAG_MAX_LENGTH)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("flagged problem")
        verbose_name_plural = _("flagged problems")

    def __str__(self):
        return f"{self.delegation}: {self.text[:60]}"


class CheckIn(models.Model):
    """One mark by a room's host: this delegation came (or did not) to this round.

    Marks are queued in the host's browser when the connection drops and sent later, maybe
    more than once: `client_id` (made by the browser, unique) makes a replay a no-op. The
    latest mark per round and delegation, by the time it was made, is the one that counts.
    """

    round = models.ForeignKey(Round, related_name="check_ins", on_delete=models.CASCADE)
    delegation = models.ForeignKey(Delegation, related_name="check_ins",
                                   on_delete=models.CASCADE)
    present = models.BooleanField(_("came"))
    client_id = models.CharField(_("mark id"), max_length=64, unique=True)
    marked_at = models.DateTimeField(_("marked at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["marked_at", "pk"]
        verbose_name = _("check-in mark")
        verbose_name_plural = _("check-in marks")

    def __str__(self):
        return f"{self.delegation} @ {self.round}: {self.present}"

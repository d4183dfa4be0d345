"""Reminders to delegations that have ranked nothing yet: at most one a day each."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import RequestReminder
from matchmaking.services.dashboard import silent_delegations


def recipients_of(delegation):
    addresses = []
    for member in delegation.members.all():
        address = member.email or (member.user.email if member.user_id else "")
        if address and address not in addresses:
            addresses.append(address)
    return addresses


def send_request_reminders(workshop, *, sent_by=None, today=None):
    """E-mail the delegates of every delegation without requests, unless reminded today.

    Returns (reminded, already reminded today, without any address) as lists of delegations.
    """
    today = today or timezone.localdate()
    reminded, already, unreachable = [], [], []
    for delegation in silent_delegations(workshop):
        addresses = recipients_of(delegation)
        if not addresses:
            unreachable.append(delegation)
            continue
        try:
            with transaction.atomic():
                RequestReminder.objects.create(delegation=delegation, sent_on=today,
                                               recipients=addresses, sent_by=sent_by)
                # Sent inside the transaction: if sending fails the record goes too, and the
                # next attempt the same day tries again.
                _send(workshop, delegation, addresses)
        except IntegrityError:
            already.append(delegation)
            continue
        reminded.append(delegation)
    return reminded, already, unreachable


def _send(workshop, delegation, addresses):
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    path = reverse("matchmaking:demand", args=[workshop.slug, delegation.key])
    context = {"workshop": workshop, "delegation": delegation, "url": f"{base_url}{path}"}
    subject = render_to_string("matchmaking/email/request_reminder_subject.txt", context)
    body = render_to_string("matchmaking/email/request_reminder.txt", context)
    send_mail(" ".join(subject.split()), body, None, addresses)

"""Reminders to delegates about profiles nobody has updated for 12 months.

A profile becomes out of date 12 months after its last update (a publication in any
language, or a progress report); from then on one reminder falls due every 12 months until
it is updated. Each delegate of the profile's country gets each reminder once: a
``StaleProfileReminder`` row records it, and the command can run as often as one likes.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from programs.models.profiles import STALE_AFTER


def stale_profiles(today):
    """(original version, date of last update) of every live profile out of date on ``today``."""
    from programs.models import ProgramProfilePage

    originals = (ProgramProfilePage.objects.live()
                 .filter(locale__language_code=F("original_language"))
                 .select_related("country", "locale").order_by("pk"))
    for page in originals:
        updated = page.last_updated
        if updated is not None and today - updated > STALE_AFTER:
            yield page, updated


def reminder_period_start(last_updated, today):
    """The day the reminder now due fell due: 12, 24, 36... months after the last update."""
    periods = (today - last_updated).days // STALE_AFTER.days
    return last_updated + timedelta(days=STALE_AFTER.days * periods)


def country_delegates(country):
    from programs.models import CountryEditorsGroup

    link = CountryEditorsGroup.objects.filter(country=country).first()
    if link is None:
        return get_user_model().objects.none()
    return link.group.user_set.filter(is_active=True).exclude(email="").order_by("pk")


def send_stale_profile_reminders(today=None):
    """Send the reminders that are due and not yet sent. Returns how many were sent."""
    from programs.models import StaleProfileReminder

    today = today or timezone.localdate()
    sent = 0
    for page, updated in stale_profiles(today):
        period_start = reminder_period_start(updated, today)
        for recipient in country_delegates(page.country):
            with transaction.atomic():
                _reminder, created = StaleProfileReminder.objects.get_or_create(
                    translation_key=page.translation_key, recipient=recipient,
                    period_start=period_start)
                if not created:
                    continue
                # Sent inside the transaction: if sending fails, the row goes too and the
                # next run tries again.
                _send_reminder(page, updated, recipient)
                sent += 1
    return sent


def _send_reminder(page, updated, recipient):
    language = UserProfile.get_for_user(recipient).get_preferred_language() or (
        settings.LANGUAGE_CODE)
    language = language.split("-")[0]
    locale = Locale.objects.filter(language_code=language).first()
    version = page
    if locale is not None:
        translated = page.get_translation_or_none(locale)
        if translated is not None and translated.live:
            version = translated.specific
    base_url = settings.PORTAL_BASE_URL.rstrip("/")
    with translation.override(language):
        context = {
            "profile": version,
            "recipient": recipient,
            "last_updated": updated,
            "edit_url": f"{base_url}/admin/pages/{version.pk}/edit/",
            "profile_url": version.get_full_url(),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = render_to_string("programs/profiles/email/stale_reminder_subject.txt",
                                   context).strip()
        body = render_to_string("programs/profiles/email/stale_reminder.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])

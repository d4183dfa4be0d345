"""`manage.py remind_stale_profiles`: each delegate of the country gets each reminder once per
12-month period of a profile being out of date."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.users.models import UserProfile

from portal.accounts.roles import Role
from programs.models import ProgramProfilePage, StaleProfileReminder
from programs.services.reminders import send_stale_profile_reminders

pytestmark = pytest.mark.django_db


def age(profile, days):
    ProgramProfilePage.objects.filter(translation_key=profile.translation_key).update(
        last_published_at=timezone.now() - timedelta(days=days))


def run_command(*args):
    output = StringIO()
    call_command("remind_stale_profiles", *args, stdout=output)
    return output.getvalue()


def test_reminders_go_once_per_period_to_the_country_delegates(make_profile, user_factory,
                                                              country, other_country):
    user_factory(Role.COUNTRY_DELEGATE, country=country, email="first@example.org")
    second = user_factory(Role.COUNTRY_DELEGATE, country=country, email="second@example.org")
    preferences = UserProfile.get_for_user(second)
    preferences.preferred_language = "es"
    preferences.save()
    user_factory(Role.COUNTRY_DELEGATE, country=other_country, email="peru@example.org")
    fresh = make_profile(external_id="COL-fresh")
    stale = make_profile(external_id="COL-stale", title_en="Stale program",
                         title_es="Programa desactualizado")
    age(stale, 400)
    age(fresh, 300)

    assert run_command() == "Reminders sent: 2\n"
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["first@example.org", "second@example.org"]
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "Stale program" in by_recipient["first@example.org"].subject
    assert "Programa desactualizado" in by_recipient["second@example.org"].subject
    assert "/admin/pages/" in by_recipient["first@example.org"].body

    assert run_command() == "Reminders sent: 0\n"
    assert send_stale_profile_reminders() == 0
    assert len(mail.outbox) == 2

    # A year later neither is updated: a second reminder for the stale profile and a first
    # for the other, which is now out of date too; each once.
    next_year = (timezone.localdate() + timedelta(days=366)).isoformat()
    assert run_command("--today", next_year) == "Reminders sent: 4\n"
    assert run_command("--today", next_year) == "Reminders sent: 0\n"
    assert StaleProfileReminder.objects.filter(
        translation_key=stale.translation_key).count() == 4


def test_an_updated_profile_gets_no_reminder(make_profile, delegate):
    profile = make_profile(external_id="COL-updated")
    age(profile, 500)
    profile = ProgramProfilePage.objects.get(pk=profile.pk)
    profile.save_revision().publish()
    assert send_stale_profile_reminders() == 0
    assert mail.outbox == []


def test_a_recent_progress_report_counts_as_an_update(make_profile, delegate):
    from programs.models import ProgressReport

    profile = make_profile(external_id="COL-reported")
    page = ProgramProfilePage.objects.get(pk=profile.pk)
    page.progress_reports.add(ProgressReport(report_date=timezone.localdate() - timedelta(days=30),
                                             rating="green", summary="<p>Done.</p>"))
    page.save_revision().publish()
    age(profile, 500)
    assert not ProgramProfilePage.objects.get(pk=profile.pk).may_be_out_of_date
    assert send_stale_profile_reminders() == 0


def test_bad_today_argument_is_explained():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_command("--today", "yesterday")

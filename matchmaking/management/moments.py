"""The `--now` option of the daily commands (reminders, nudges): run as of a given moment."""

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def add_now_argument(parser):
    parser.add_argument("--now", help="Run as of this moment (ISO 8601), for testing or "
                                      "catching up; default: the current time.")


def moment_from(now):
    """`--now` as an aware datetime; the current time when it was not given."""
    if not now:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(now)
    except ValueError:
        raise CommandError(f"--now {now!r} is not an ISO 8601 date or time.") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

"""Every write to the articulator registry: registration, confirmation, edits, decisions.

Each public function either completes inside one transaction or changes nothing, and raises
``RegistryError`` with a message meant for the person who asked. Emails leave only after the
transaction commits.
"""

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.roles import Role, assign_role
from portal.page_cache import content_changed
from programs.models import Articulator, ArticulatorToken, Region
from programs.models.registry import hash_token, name_key, website_key


class RegistryError(Exception):
    """A request the registry's rules refuse; the message is for the person who made it."""


class TooManyAttempts(RegistryError):
    """The per-address rate limit refused the request."""


# How long one-time links stay usable, in days.
CONFIRMATION_LINK_DAYS = 7
EDIT_LINK_DAYS = 7
RECONFIRMATION_LINK_DAYS = 30
# A stale entry's contact is asked again at most this often, in days.
RECONFIRMATION_INTERVAL_DAYS = 30

SCALAR_FIELDS = (
    "name", "legal_form", "sector", "country", "head_office_region", "scope",
    "runs_linkage_activities", "linkage_description", "has_alliances", "alliances_description",
    "website", "description", "contact_name", "contact_email", "publication_consent",
)
MANY_FIELDS = ("regions", "support_types", "poverty_topics")
ENTRY_FIELDS = SCALAR_FIELDS + MANY_FIELDS
TEXT_FIELDS = ("name", "legal_form", "linkage_description", "alliances_description", "website",
               "description", "contact_name", "contact_email")


# --- Rate limits -----------------------------------------------------------------------------


def rate_limit(scope):
    """(attempts, seconds) allowed per client address for ``scope``; settings may change it."""
    limits = {"register": (5, 3600), "edit_link": (5, 3600)}
    limits.update(getattr(settings, "REGISTRY_RATE_LIMITS", {}))
    return limits[scope]


def count_attempt(scope, address):
    """Count one attempt from ``address``; refuse once the window's allowance is used up.

    The count lives in the cache (Redis when REDIS_URL is set, so every server process shares
    it); ``add`` then ``incr`` keeps it right under concurrent requests.
    """
    if not address:
        return
    allowed, window = rate_limit(scope)
    key = f"registry-rate:{scope}:{address}"
    cache.add(key, 0, timeout=window)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        attempts = 1
    if attempts > allowed:
        minutes = max(1, window // 60)
        raise TooManyAttempts(
            _("Too many submissions from your network address. Please try again in "
              "%(minutes)s minutes.") % {"minutes": minutes}
        )


# --- Validation shared by registration and edits -------------------------------------------------


def _clean_text(data):
    cleaned = dict(data)
    for name in TEXT_FIELDS:
        if isinstance(cleaned.get(name), str):
            cleaned[name] = cleaned[name].strip()
    if cleaned.get("contact_email"):
        cleaned["contact_email"] = cleaned["contact_email"].lower()
    return cleaned


def validate_entry_data(data):
    """The registry's rules on a complete entry. Forms check the same with per-field messages;
    this is the last word whatever the caller."""
    missing = [name for name in ENTRY_FIELDS if name not in data]
    if missing:
        raise RegistryError(_("The entry is incomplete: %(fields)s.")
                            % {"fields": ", ".join(missing)})
    required = {
        "name": _("Enter the organisation's name."),
        "legal_form": _("Enter the organisation's legal form."),
        "sector": _("Choose the organisation's sector."),
        "country": _("Choose the organisation's country."),
        "scope": _("Choose the scope of the organisation's work."),
        "contact_name": _("Enter the name of a contact person."),
        "contact_email": _("Enter the contact person's email address."),
    }
    for name, message in required.items():
        if not data[name]:
            raise RegistryError(message)
    if data["publication_consent"] is not True:
        raise RegistryError(_("The entry can only be registered with consent to its publication."))
    if not data["support_types"]:
        raise RegistryError(_("Choose at least one kind of support the organisation provides."))
    if not data["poverty_topics"]:
        raise RegistryError(_("Choose at least one poverty topic the organisation works on."))
    country = data["country"]
    country_regions = Region.objects.filter(country=country)
    region = data["head_office_region"]
    if region is not None and region.country_id != country.pk:
        raise RegistryError(_("The head office region must be in %(country)s.")
                            % {"country": country.name})
    if any(item.country_id != country.pk for item in data["regions"]):
        raise RegistryError(_("Every region where the organisation works must be in "
                              "%(country)s.") % {"country": country.name})
    if country_regions.exists():
        if region is None:
            raise RegistryError(_("Choose the region of the organisation's head office."))
        if not data["regions"] and data["scope"].key != "national":
            raise RegistryError(_("Choose the regions where the organisation works."))


def _apply(entry, data):
    for name in SCALAR_FIELDS:
        setattr(entry, name, data[name])
    for name in MANY_FIELDS:
        setattr(entry, name, list(data[name]))


def entry_values(entry):
    """An entry's content as the mapping the services take (for forms and comparisons)."""
    values = {name: getattr(entry, name) for name in SCALAR_FIELDS}
    for name in MANY_FIELDS:
        values[name] = list(getattr(entry, name).all())
    return values


def _comparable(values):
    result = {}
    for name, value in values.items():
        if name in MANY_FIELDS:
            result[name] = sorted(item.pk for item in value)
        elif hasattr(value, "pk"):
            result[name] = value.pk
        else:
            result[name] = value
    return result


# --- Tokens and emails ---------------------------------------------------------------------------


def _new_token(entry, purpose, days):
    token = secrets.token_urlsafe(32)
    ArticulatorToken.objects.create(
        articulator=entry, purpose=purpose, token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token


def _absolute(url_name, language, **kwargs):
    with translation.override(language):
        return settings.PORTAL_BASE_URL.rstrip("/") + reverse(url_name, kwargs=kwargs)


def _email(entry, template, subject, **context):
    """Queue an email to the entry's contact, in the language they registered in."""
    language = entry.language if entry.language in dict(settings.LANGUAGES) else "en"
    with translation.override(language):
        subject = str(subject)
        body = render_to_string(
            f"programs/registry/email/{template}.txt",
            {"entry": entry, "site_name": settings.WAGTAIL_SITE_NAME, **context},
        )
    recipient = entry.contact_email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    )


def find_usable_token(token, purpose):
    """The token row for a one-time link, or a RegistryError saying why it cannot be used."""
    row = (
        ArticulatorToken.objects.select_related("articulator")
        .filter(token_hash=hash_token(token), purpose=purpose)
        .first()
    )
    if row is None:
        raise RegistryError(_("This link is not valid. Check that you copied all of it."))
    if row.used_at is not None:
        raise RegistryError(_("This link has already been used."))
    if row.expires_at <= timezone.now():
        raise RegistryError(_("This link has expired."))
    return row


def _use_token(token, purpose):
    row = find_usable_token(token, purpose)
    row = ArticulatorToken.objects.select_for_update().get(pk=row.pk)
    if row.used_at is not None:
        raise RegistryError(_("This link has already been used."))
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return row


# --- Duplicates ----------------------------------------------------------------------------------

def edit_distance(first, second, limit):
    """Levenshtein distance, or ``limit + 1`` as soon as it is known to exceed ``limit``."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous = list(range(len(second) + 1))
    for row, char in enumerate(first, start=1):
        current = [row]
        for column, other in enumerate(second, start=1):
            current.append(min(previous[column] + 1, current[column - 1] + 1,
                               previous[column - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def names_are_very_similar(first_key, second_key):
    """Typos and near-spellings of one name ("Quillay"/"Quillai"), not different names that
    share words ("Agrupación Comunitaria Chucao"/"Agrupación Comunitaria Tenca"): the words
    the names share are set aside, and what remains may differ by one edit per eight
    characters."""
    first_words, second_words = first_key.split(), second_key.split()
    shared = Counter(first_words) & Counter(second_words)
    first_rest = _without(first_words, shared)
    second_rest = _without(second_words, shared)
    if not first_rest and not second_rest:
        return True  # the same words in another order
    allowed = max(1, min(len(first_rest), len(second_rest)) // 8)
    return edit_distance(first_rest, second_rest, allowed) <= allowed


def _without(words, shared):
    remaining = Counter(shared)
    kept = []
    for word in words:
        if remaining[word]:
            remaining[word] -= 1
        else:
            kept.append(word)
    return " ".join(kept)


@dataclass
class DuplicateHint:
    entry: Articulator
    reasons: list = field(default_factory=list)


def find_probable_duplicates(*, name, website, country, exclude_pk=None, public_only=False):
    """Entries that are probably the same organisation: same website domain anywhere, or the
    same or a very similar name in the same country. Unconfirmed registrations are left out;
    with ``public_only`` (for registrants) only approved entries are considered."""
    candidates = Articulator.objects.exclude(
        self_registered=True, email_confirmed_at__isnull=True, live=False)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    if public_only:
        candidates = candidates.filter(live=True)
    hints = {}
    domain = website_key(website)
    if domain:
        for entry in candidates.filter(website_key=domain):
            hints.setdefault(entry.pk, DuplicateHint(entry)).reasons.append(
                gettext_lazy("same website"))
    key = name_key(name)
    if key and country is not None:
        for entry in candidates.filter(country=country):
            if entry.name_key == key:
                reason = gettext_lazy("same name")
            elif names_are_very_similar(key, entry.name_key):
                reason = gettext_lazy("very similar name")
            else:
                continue
            hints.setdefault(entry.pk, DuplicateHint(entry)).reasons.append(reason)
    return sorted(hints.values(), key=lambda hint: hint.entry.name.casefold())


def duplicates_of(entry, public_only=False):
    return find_probable_duplicates(
        name=entry.name, website=entry.website, country=entry.country,
        exclude_pk=entry.pk, public_only=public_only,
    )


# --- Registration --------------------------------------------------------------------------------


def register(data, *, language="en", client_address=None, user=None):
    """Store a new registration (not public) and email the one-time confirmation link.

    Returns the entry. Nothing reaches the moderators until the email is confirmed.
    """
    count_attempt("register", client_address)
    data = _clean_text(data)
    validate_entry_data(data)
    with transaction.atomic():
        entry = Articulator(
            live=False,
            self_registered=True,
            language=language,
            registered_at=timezone.now(),
            owner=user if user is not None and user.is_authenticated else None,
        )
        _apply(entry, data)
        try:
            entry.full_clean()
        except ValidationError as error:
            raise RegistryError(" ".join(error.messages)) from error
        entry.save()
        entry.save_revision(user=entry.owner, clean=False, log_action="wagtail.create")
        token = _new_token(entry, ArticulatorToken.Purpose.CONFIRM_EMAIL, CONFIRMATION_LINK_DAYS)
        _email(
            entry, "confirm_email", gettext_lazy("Confirm your registration in the ecosystem "
                                                 "registry"),
            link=_absolute("programs:articulator_confirm_email", entry.language, token=token),
            valid_days=CONFIRMATION_LINK_DAYS,
        )
    return entry


def submit_for_moderation(entry, user=None):
    """Put the entry's latest revision in the moderation queue (restarting a pending review)."""
    from programs.services.registry_vocabularies import ensure_moderation_workflow

    workflow = entry.get_workflow() or ensure_moderation_workflow()
    state = entry.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    return workflow.start(entry, user)


def confirm_email(token):
    """The registrant followed the confirmation link: the entry joins the moderation queue."""
    with transaction.atomic():
        token_row = _use_token(token, ArticulatorToken.Purpose.CONFIRM_EMAIL)
        entry = Articulator.objects.select_for_update().get(pk=token_row.articulator_id)
        if entry.email_confirmed_at is not None:
            return entry
        entry.email_confirmed_at = timezone.now()
        entry.awaiting_decision = True
        entry.save(update_fields=["email_confirmed_at", "awaiting_decision"])
        submit_for_moderation(entry)
        _email(entry, "received", gettext_lazy("Your registration is awaiting moderation"))
    return entry


# --- Decisions (called from Wagtail's workflow signals) ---------------------------------------


def record_approval(entry_pk, *, comment=""):
    """A revision of the entry was published: it is approved, and its data counts as
    confirmed today. The organisation hears about it if it was waiting for a decision."""
    with transaction.atomic():
        entry = Articulator.objects.select_for_update().get(pk=entry_pk)
        now = timezone.now()
        was_first_approval = entry.approved_at is None
        notify = entry.awaiting_decision
        Articulator.objects.filter(pk=entry.pk).update(
            approved_at=entry.approved_at or now, last_confirmed_at=now, rejected_at=None,
            rejection_reason="", awaiting_decision=False, reconfirmation_requested_at=None,
        )
        content_changed()
        if notify:
            token = _new_token(entry, ArticulatorToken.Purpose.EDIT, EDIT_LINK_DAYS)
            _email(
                entry, "approved",
                gettext_lazy("Your organisation is in the ecosystem registry")
                if was_first_approval else gettext_lazy("Your changes are published"),
                first_approval=was_first_approval, comment=comment,
                profile_link=_absolute("programs:articulator_detail", entry.language,
                                       pk=entry.pk),
                edit_link=_absolute("programs:articulator_edit_with_token", entry.language,
                                    token=token),
                valid_days=EDIT_LINK_DAYS,
            )


def record_rejection(entry_pk, *, reason):
    """A moderator rejected the entry's pending version, giving ``reason``.

    A new registration stays unpublished and is marked rejected; a published entry keeps its
    approved version, and the rejected changes are set aside (they stay in the history).
    """
    with transaction.atomic():
        entry = Articulator.objects.select_for_update().get(pk=entry_pk)
        notify = entry.awaiting_decision
        if entry.live:
            Articulator.objects.filter(pk=entry.pk).update(
                latest_revision=entry.live_revision_id or entry.latest_revision_id,
                has_unpublished_changes=False, awaiting_decision=False,
            )
        else:
            Articulator.objects.filter(pk=entry.pk).update(
                rejected_at=timezone.now(), rejection_reason=reason, awaiting_decision=False,
            )
        if notify:
            _email(
                entry, "rejected",
                gettext_lazy("Your changes to the ecosystem registry were not accepted")
                if entry.live else
                gettext_lazy("Your registration in the ecosystem registry was not accepted"),
                reason=reason, was_live=entry.live,
            )


# --- Edits by the organisation -------------------------------------------------------------------


def can_edit_through_account(user, entry):
    return bool(user is not None and user.is_authenticated and user.is_active
                and entry.owner_id == user.pk)


def propose_changes(entry_pk, data, *, user=None, token=None):
    """The organisation submits new data for its approved entry, through its account or a
    one-time link. The approved version stays public until a moderator approves the change."""
    data = _clean_text(data)
    validate_entry_data(data)
    with transaction.atomic():
        if token is not None:
            token_row = _use_token(token, ArticulatorToken.Purpose.EDIT)
            if token_row.articulator_id != entry_pk:
                raise RegistryError(_("This link is not for this entry."))
        entry = Articulator.objects.select_for_update().filter(pk=entry_pk).first()
        if entry is None:
            raise RegistryError(_("This entry no longer exists."))
        if token is None and not can_edit_through_account(user, entry):
            raise RegistryError(_("Only the account that manages this entry can edit it."))
        if not entry.live:
            raise RegistryError(_("Only published entries can be edited. Yours is still "
                                  "awaiting a decision."))
        if entry.locked:
            raise RegistryError(_("A moderator is working on this entry right now. Please try "
                                  "again later."))
        if _comparable(data) == _comparable(entry_values(entry.get_latest_revision_as_object())):
            raise RegistryError(_("Nothing was changed. Change at least one answer, or keep "
                                  "the entry as it is."))
        _apply(entry, data)
        try:
            entry.full_clean()
        except ValidationError as error:
            raise RegistryError(" ".join(error.messages)) from error
        author = user if user is not None and user.is_authenticated else None
        entry.save_revision(user=author, clean=False, log_action=True)
        Articulator.objects.filter(pk=entry.pk).update(awaiting_decision=True)
        entry.awaiting_decision = True
        submit_for_moderation(entry, user=author)
        _email(entry, "changes_received", gettext_lazy("Your changes are awaiting moderation"))
    return entry


def send_edit_links(email, *, client_address=None):
    """Email a one-time edit link for every approved entry with this contact email.

    The caller shows the same answer whether or not one exists, so nobody learns from it
    which addresses are registered."""
    count_attempt("edit_link", client_address)
    email = (email or "").strip().lower()
    if not email:
        raise RegistryError(_("Enter the contact email address of your entry."))
    sent = 0
    with transaction.atomic():
        for entry in Articulator.objects.approved().filter(contact_email__iexact=email):
            token = _new_token(entry, ArticulatorToken.Purpose.EDIT, EDIT_LINK_DAYS)
            _email(
                entry, "edit_link", gettext_lazy("Your link to edit your registry entry"),
                edit_link=_absolute("programs:articulator_edit_with_token", entry.language,
                                    token=token),
                valid_days=EDIT_LINK_DAYS,
            )
            sent += 1
    return sent


def create_owner_account(token, *, first_name, last_name, password):
    """Turn a one-time edit link into an account (role Ecosystem member) that manages the entry.

    The link proves control of the contact mailbox, so an existing account with that same
    address is linked instead of creating a second one."""
    with transaction.atomic():
        token_row = _use_token(token, ArticulatorToken.Purpose.EDIT)
        entry = Articulator.objects.select_for_update().get(pk=token_row.articulator_id)
        if not entry.live:
            raise RegistryError(_("Only published entries can be managed with an account."))
        User = get_user_model()
        user = User.objects.filter(email__iexact=entry.contact_email).first()
        created = user is None
        if created:
            user = User(email=entry.contact_email.lower(), first_name=first_name.strip(),
                        last_name=last_name.strip())
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise RegistryError(" ".join(error.messages)) from error
            user.set_password(password)
            user.save()
        assign_role(user, Role.ECOSYSTEM_MEMBER)
        Articulator.objects.filter(pk=entry.pk).update(owner=user)
    return user, created


# --- Keeping the directory current ------------------------------------------------------------


def reconfirm(token):
    """The organisation says its entry is still right: it counts as confirmed today."""
    with transaction.atomic():
        token_row = _use_token(token, ArticulatorToken.Purpose.RECONFIRM)
        entry = Articulator.objects.select_for_update().get(pk=token_row.articulator_id)
        if not entry.live:
            raise RegistryError(_("This entry is not published any more."))
        now = timezone.now()
        Articulator.objects.filter(pk=entry.pk).update(
            last_confirmed_at=now, reconfirmation_requested_at=None)
        content_changed()
        entry.last_confirmed_at = now
    return entry


def request_reconfirmations(now=None):
    """Ask the contacts of entries not confirmed for 12 months to confirm or update them.

    A contact is asked again only after RECONFIRMATION_INTERVAL_DAYS. Returns how many."""
    now = now or timezone.now()
    ask_again_before = now - timedelta(days=RECONFIRMATION_INTERVAL_DAYS)
    asked = 0
    with transaction.atomic():
        stale = Articulator.objects.stale(now).select_for_update().filter(
            Q(reconfirmation_requested_at__isnull=True)
            | Q(reconfirmation_requested_at__lt=ask_again_before)
        )
        for entry in stale:
            reconfirm_token = _new_token(entry, ArticulatorToken.Purpose.RECONFIRM,
                                         RECONFIRMATION_LINK_DAYS)
            edit_token = _new_token(entry, ArticulatorToken.Purpose.EDIT,
                                    RECONFIRMATION_LINK_DAYS)
            _email(
                entry, "reconfirm", gettext_lazy("Is your registry entry still up to date?"),
                reconfirm_link=_absolute("programs:articulator_reconfirm", entry.language,
                                         token=reconfirm_token),
                edit_link=_absolute("programs:articulator_edit_with_token", entry.language,
                                    token=edit_token),
                valid_days=RECONFIRMATION_LINK_DAYS,
            )
            Articulator.objects.filter(pk=entry.pk).update(reconfirmation_requested_at=now)
            asked += 1
    return asked


def purge_unconfirmed(now=None):
    """Delete registrations whose email was never confirmed before their link expired."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=CONFIRMATION_LINK_DAYS)
    with transaction.atomic():
        expired = Articulator.objects.filter(
            live=False, self_registered=True, email_confirmed_at__isnull=True,
            registered_at__lt=cutoff,
        )
        count = 0
        for entry in expired:
            if entry.workflow_states.exists():
                continue
            entry.delete()
            count += 1
    return count

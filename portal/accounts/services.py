"""Account writes: invitations and their acceptance. Each either completes or changes nothing."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.models import Invitation, hash_token
from portal.accounts.roles import Role, assign_role, user_has_role


class AccountError(Exception):
    """A request the rules refuse; the message is for the person who made it."""


# Which roles each inviting role may hand out.
INVITABLE_ROLES = {
    Role.MODERATOR: {Role.COUNTRY_DELEGATE},
    Role.ADMINISTRATOR: {Role.COUNTRY_DELEGATE, Role.MODERATOR, Role.ORGANISER},
}


def roles_user_may_invite(user):
    allowed = set()
    for inviter_role, roles in INVITABLE_ROLES.items():
        if user_has_role(user, inviter_role):
            allowed |= roles
    return allowed


def invite(*, invited_by, email, role, country=None, institution=None, language="en"):
    """Create an invitation and email its one-time link. Returns (invitation, link)."""
    email = (email or "").strip().lower()
    role = Role(role)
    if role not in roles_user_may_invite(invited_by):
        raise AccountError(_("You may not invite people with the role “%(role)s”.")
                           % {"role": role.label})
    if not email:
        raise AccountError(_("Enter the email address of the person to invite."))
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise AccountError(_("%(email)s already has an account.") % {"email": email})
    if role == Role.COUNTRY_DELEGATE and country is None:
        raise AccountError(_("A country delegate must be invited for a country."))
    if institution is not None and country is not None and institution.country_id not in (
        None, country.pk
    ):
        raise AccountError(
            _("%(institution)s does not belong to %(country)s.")
            % {"institution": institution, "country": country}
        )

    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.pending().filter(email__iexact=email).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            country=country,
            institution=institution,
            token_hash=hash_token(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        with translation.override(language):
            link = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
                "accounts:accept_invitation", kwargs={"token": token}
            )
            subject = _("You are invited to the %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
            body = render_to_string(
                "accounts/email/invitation.txt",
                {"invitation": invitation, "link": link, "role": role.label,
                 "site_name": settings.WAGTAIL_SITE_NAME,
                 "valid_days": settings.INVITATION_VALID_DAYS},
            )
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        )
    return invitation, link


def find_usable_invitation(token):
    invitation = Invitation.objects.filter(token_hash=hash_token(token or "")).first()
    if invitation is None:
        raise AccountError(_("This invitation link is not valid."))
    if invitation.accepted_at:
        raise AccountError(_("This invitation has already been used. Sign in instead."))
    if invitation.revoked_at:
        raise AccountError(_("This invitation was withdrawn. Ask for a new one."))
    if invitation.expires_at <= timezone.now():
        raise AccountError(_("This invitation has expired. Ask for a new one."))
    return invitation


def accept_invitation(*, token, first_name, last_name, password):
    """Create the invited person's account; the link works once."""
    with transaction.atomic():
        invitation = find_usable_invitation(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            raise AccountError(_("This invitation has already been used. Sign in instead."))
        User = get_user_model()
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise AccountError(
                _("%(email)s already has an account.") % {"email": invitation.email}
            )
        user = User(
            email=invitation.email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            country=invitation.country,
            institution=invitation.institution,
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise AccountError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        assign_role(user, invitation.role)
        # A delegate's rights on their country's pages come with the country's group.
        from programs.services.delegates import sync_country_delegate_groups

        sync_country_delegate_groups(user)
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
    return user


def revoke_invitation(invitation, *, by):
    if invitation.accepted_at:
        raise AccountError(_("An accepted invitation cannot be withdrawn."))
    if Role(invitation.role) not in roles_user_may_invite(by):
        raise AccountError(_("You may not withdraw this invitation."))
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )

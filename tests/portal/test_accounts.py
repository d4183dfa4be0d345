import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from portal.accounts import services
from portal.accounts.models import Invitation
from portal.accounts.roles import Role, user_has_role, user_roles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-9"


def login(client, email, password=PASSWORD):
    return client.post("/en/account/login/", {"username": email, "password": password})


def test_login_with_email_address(client):
    user = make_user(Role.ORGANISER, email="Someone@Example.org")
    response = login(client, "someone@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/en/account/"
    dashboard = client.get("/en/account/").content.decode()
    assert "someone@example.org" in dashboard
    assert "Organiser" in dashboard
    assert user_roles(user) == [Role.ORGANISER]


def test_wrong_password_is_refused_with_a_message(client):
    make_user(email="person@example.org")
    response = login(client, "person@example.org", "not-the-password")
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()


def test_lockout_after_repeated_failures_even_with_the_right_password(client, settings):
    make_user(email="target@example.org")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "target@example.org", "wrong-password")
    response = login(client, "target@example.org")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, settings):
    make_user(email="forgetful@example.org")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "forgetful@example.org", "wrong-password")
    assert login(client, "forgetful@example.org").status_code == 302
    client.post("/en/account/logout/")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "forgetful@example.org", "wrong-password")
    assert login(client, "forgetful@example.org").status_code == 302


def test_logout_needs_post(client):
    user = make_user()
    client.force_login(user)
    assert client.get("/en/account/logout/").status_code == 405
    client.post("/en/account/logout/")
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client):
    make_user(email="reset@example.org")
    client.post("/en/account/password/reset/", {"email": "reset@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/password/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_path = form_page.redirect_chain[-1][0]
    response = client.post(set_path, {"new_password1": "A-new-secret-42",
                                      "new_password2": "A-new-secret-42"})
    assert response.status_code == 302
    assert login(client, "reset@example.org", "A-new-secret-42").status_code == 302


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post("/en/account/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_session_cookie_is_http_only_and_same_site(client):
    make_user(email="cookie@example.org")
    response = login(client, "cookie@example.org")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_session_key_changes_at_login(client):
    make_user(email="fixation@example.org")
    client.get("/en/account/login/")
    client.session.save()
    before = client.session.session_key
    login(client, "fixation@example.org")
    assert client.session.session_key != before


class TestInvitations:
    def invite(self, inviter, country, **kwargs):
        defaults = {"email": "new.delegate@example.org", "role": Role.COUNTRY_DELEGATE,
                    "country": country}
        defaults.update(kwargs)
        return services.invite(invited_by=inviter, **defaults)

    def test_moderator_invites_a_delegate_who_accepts_once(self, client, moderator, country,
                                                          django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            invitation, link = self.invite(moderator, country)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["new.delegate@example.org"]
        assert link in mail.outbox[0].body
        path = link.split("127.0.0.1:8000", 1)[1]
        assert client.get(path).status_code == 200
        response = client.post(path, {"first_name": "Nueva", "last_name": "Delegada",
                                      "password1": "Una-clave-segura-7",
                                      "password2": "Una-clave-segura-7"})
        assert response.status_code == 302
        user = get_user_model().objects.get(email="new.delegate@example.org")
        assert user.country == country
        assert user_has_role(user, Role.COUNTRY_DELEGATE)
        assert client.session["_auth_user_id"] == str(user.pk)
        invitation.refresh_from_db()
        assert invitation.accepted_at is not None and invitation.user == user

        client.logout()
        again = client.get(path)
        assert again.status_code == 410
        assert "already been used" in again.content.decode()

    def test_token_is_stored_hashed(self, moderator, country):
        invitation, link = self.invite(moderator, country)
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert token not in invitation.token_hash
        assert not Invitation.objects.filter(token_hash=token).exists()

    def test_expired_invitation_is_refused(self, client, moderator, country):
        invitation, link = self.invite(moderator, country)
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1))
        response = client.get(link.split("127.0.0.1:8000", 1)[1])
        assert response.status_code == 410
        assert "expired" in response.content.decode()

    def test_a_new_invitation_withdraws_the_previous_one(self, client, moderator, country):
        _first, first_link = self.invite(moderator, country)
        self.invite(moderator, country)
        response = client.get(first_link.split("127.0.0.1:8000", 1)[1])
        assert response.status_code == 410
        assert "withdrawn" in response.content.decode()

    def test_weak_password_is_refused_and_nothing_is_created(self, client, moderator, country):
        _invitation, link = self.invite(moderator, country)
        path = link.split("127.0.0.1:8000", 1)[1]
        response = client.post(path, {"first_name": "A", "last_name": "B",
                                      "password1": "123", "password2": "123"})
        assert response.status_code == 200
        assert "too short" in response.content.decode()
        assert not get_user_model().objects.filter(email="new.delegate@example.org").exists()

    def test_delegate_invitation_needs_a_country(self, moderator):
        with pytest.raises(services.AccountError, match="must be invited for a country"):
            services.invite(invited_by=moderator, email="x@example.org",
                            role=Role.COUNTRY_DELEGATE)

    def test_moderator_cannot_invite_a_moderator(self, moderator):
        with pytest.raises(services.AccountError, match="may not invite"):
            services.invite(invited_by=moderator, email="x@example.org", role=Role.MODERATOR)

    def test_delegate_cannot_invite(self, delegate, country):
        with pytest.raises(services.AccountError, match="may not invite"):
            self.invite(delegate, country)

    def test_existing_account_cannot_be_invited(self, moderator, country, delegate):
        with pytest.raises(services.AccountError, match="already has an account"):
            self.invite(moderator, country, email=delegate.email.upper())

    def test_institution_must_belong_to_the_country(self, moderator, country, other_country):
        foreign = other_country.institutions.first() or country.institutions.first()
        if foreign.country == country:
            pytest.skip("demo data has no institution of the other country")
        with pytest.raises(services.AccountError, match="does not belong"):
            self.invite(moderator, country, institution=foreign)

    def test_invitation_from_the_wagtail_admin(self, client, moderator, country,
                                               django_capture_on_commit_callbacks):
        client.force_login(moderator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/admin/invitations/new/", {
                "email": "admin.invited@example.org", "role": Role.COUNTRY_DELEGATE,
                "country": country.pk, "institution": ""})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Invitation.objects.filter(email="admin.invited@example.org").exists()
        assert len(mail.outbox) == 1

    def test_admin_form_reports_a_refused_invitation(self, client, moderator):
        client.force_login(moderator)
        response = client.post("/admin/invitations/new/", {
            "email": "nocountry@example.org", "role": Role.COUNTRY_DELEGATE,
            "country": "", "institution": ""})
        assert response.status_code == 200
        assert "must be invited for a country" in response.content.decode()
        assert not Invitation.objects.filter(email="nocountry@example.org").exists()

"""The schedule editor: each edit is checked by the optimiser's rules, versioned, and refused
when another organiser saved a newer version first."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from matchmaking.models import Round, ScheduleVersion, VersionSource, Workshop
from matchmaking.services import editor
from matchmaking.services.adapter import rounds_of
from portal.accounts.roles import Role
from tests.conftest import make_user
from tests.matchmaking.conftest import committed
from tests.matchmaking.rounds_factories import small_workshop


@pytest.fixture
def organiser_user(db):
    return make_user(Role.ORGANISER, first_name="Ana", last_name="Organizadora")


@pytest.fixture
def workshop(organiser_user):
    workshop, _sessions, _delegations = small_workshop(organiser=organiser_user)
    return workshop


def round_of(workshop, offer):
    return Round.objects.get(version=workshop.current_version, offer__key=offer)


def cells(version):
    return {(r.offer, r.session, r.room, r.attendees) for r in rounds_of(version)}


@pytest.mark.django_db
def test_moving_a_round_creates_a_child_version(workshop, organiser_user):
    before = workshop.current_version
    version = editor.move_round(workshop, organiser_user, based_on=1,
                                round_id=round_of(workshop, "per-juntos").pk,
                                session_key="s2", room_key="r2")
    workshop.refresh_from_db()
    assert workshop.current_version == version
    assert (version.number, version.parent, version.source) == (2, before, VersionSource.EDIT)
    assert version.created_by == organiser_user
    assert cells(version) == {("col-unidos", "s1", "r1", ("ARG", "PER")),
                              ("per-juntos", "s2", "r2", ("ARG", "COL"))}
    assert version.note == "Moved “JUNTOS” to Tuesday late morning, Sala Andes"
    assert cells(before) == {("col-unidos", "s1", "r1", ("ARG", "PER")),
                             ("per-juntos", "s2", "r1", ("ARG", "COL"))}


@pytest.mark.django_db
def test_moving_onto_a_taken_room_is_refused(workshop, organiser_user):
    with pytest.raises(editor.EditRefused, match="Sala Caribe already holds a round"):
        editor.move_round(workshop, organiser_user, based_on=1,
                          round_id=round_of(workshop, "per-juntos").pk,
                          session_key="s1", room_key="r1")
    assert ScheduleVersion.objects.filter(workshop=workshop).count() == 1


@pytest.mark.django_db
def test_swapping_two_rounds(workshop, organiser_user):
    version = editor.swap_rounds(workshop, organiser_user, based_on=1,
                                 round_id=round_of(workshop, "col-unidos").pk,
                                 other_round_id=round_of(workshop, "per-juntos").pk)
    assert cells(version) == {("col-unidos", "s2", "r1", ("ARG", "PER")),
                              ("per-juntos", "s1", "r1", ("ARG", "COL"))}


@pytest.mark.django_db
def test_an_attendee_who_did_not_ask_is_refused_with_the_rule(workshop, organiser_user):
    with pytest.raises(editor.EditRefused) as refused:
        editor.add_attendee(workshop, organiser_user, based_on=1,
                            round_id=round_of(workshop, "per-juntos").pk, delegation_key="PER")
    # PER presents per-juntos itself: rule 3.
    assert refused.value.message == ("The edit breaks the workshop's rules, so it was not "
                                     "saved.")
    assert refused.value.violations == [
        "Rule 3 (attendees requested the offer): rounds[1] (per-juntos in s2/r1): owner 'PER' "
        "attends its own offer"]
    assert ScheduleVersion.objects.filter(workshop=workshop).count() == 1


@pytest.mark.django_db
def test_a_round_cannot_shrink_below_the_minimum(workshop, organiser_user):
    with pytest.raises(editor.EditRefused) as refused:
        editor.remove_attendee(workshop, organiser_user, based_on=1,
                               round_id=round_of(workshop, "col-unidos").pk,
                               delegation_key="PER")
    assert [v.split(":")[0] for v in refused.value.violations] == ["Rule 4 (round size)"]
    assert ScheduleVersion.objects.filter(workshop=workshop).count() == 1


@pytest.mark.django_db
def test_pin_and_unpin(workshop, organiser_user):
    pinned = editor.set_pinned(workshop, organiser_user, based_on=1,
                               round_id=round_of(workshop, "col-unidos").pk, pinned=True)
    assert list(Round.objects.filter(version=pinned, pinned=True)
                .values_list("offer__key", flat=True)) == ["col-unidos"]
    workshop.refresh_from_db()
    unpinned = editor.set_pinned(workshop, organiser_user, based_on=2,
                                 round_id=round_of(workshop, "col-unidos").pk, pinned=False)
    assert not Round.objects.filter(version=unpinned, pinned=True).exists()
    assert unpinned.parent == pinned


@pytest.mark.django_db
def test_an_edit_based_on_an_older_version_names_who_saved_the_newer(workshop,
                                                                      organiser_user):
    other = make_user(Role.ORGANISER, first_name="Bruno", last_name="Díaz")
    workshop.organisers.add(other)
    workshop.save()
    newer = editor.set_pinned(workshop, other, based_on=1,
                              round_id=round_of(workshop, "col-unidos").pk, pinned=True)
    from django.utils import timezone

    at = timezone.localtime(newer.created_at, timezone=editor._zone(workshop)).strftime("%H:%M")
    with pytest.raises(editor.StaleVersion) as refused:
        editor.move_round(workshop, organiser_user, based_on=1,
                          round_id=Round.objects.get(version__workshop=workshop,
                                                     version__number=1,
                                                     offer__key="per-juntos").pk,
                          session_key="s2", room_key="r2")
    assert refused.value.message == (
        f"Bruno Díaz saved version 2 at {at}, after the version 1 you were editing. Nothing "
        "was saved: reload the schedule and make your change again.")
    assert ScheduleVersion.objects.filter(workshop=workshop).count() == 2


@pytest.mark.django_db
def test_only_the_workshops_organisers_edit(workshop):
    stranger = make_user(Role.ORGANISER)
    with pytest.raises(editor.EditRefused, match="Only the workshop's organisers"):
        editor.set_pinned(workshop, stranger, based_on=1,
                          round_id=round_of(workshop, "col-unidos").pk, pinned=True)


@pytest.mark.django_db
def test_the_editor_page_shows_violations_inline(client, workshop, organiser_user):
    client.force_login(organiser_user)
    target = round_of(workshop, "col-unidos")
    response = client.post(reverse("matchmaking:schedule_edit", args=[workshop.slug]), {
        "action": "remove_attendee", "based_on": "1", "round_id": target.pk,
        "delegation_key": "PER"})
    assert response.status_code == 400
    html = response.content.decode()
    # The refused round's edit panel stays open, with the reason in it.
    panel = html.split('id="edit-panel"')[1].split("</section>")[0]
    assert f'name="round_id" value="{target.pk}"' in panel
    assert "The edit breaks the workshop&#x27;s rules, so it was not saved." in panel
    assert "Rule 4 (round size)" in panel
    assert ScheduleVersion.objects.filter(workshop=workshop).count() == 1


@pytest.mark.django_db
def test_the_editor_lists_a_version_imported_without_an_author(client, organiser_user):
    # `import_workshop --schedule` stores its version with no user behind it.
    workshop, _sessions, _delegations = small_workshop("imported")
    workshop.organisers.add(organiser_user)
    workshop.save()
    assert workshop.current_version.created_by is None
    client.force_login(organiser_user)
    response = client.get(reverse("matchmaking:schedule_editor", args=[workshop.slug]))
    assert response.status_code == 200
    versions = response.content.decode().split('class="rounds-versions"')[1]
    assert "Version 1</a> · Imported file · — ·" in versions


@pytest.mark.django_db
def test_the_editor_page_reports_a_stale_edit(client, workshop, organiser_user):
    client.force_login(organiser_user)
    url = reverse("matchmaking:schedule_edit", args=[workshop.slug])
    pin = {"action": "pin", "based_on": "1", "round_id": round_of(workshop, "col-unidos").pk}
    assert client.post(url, pin).status_code == 302
    response = client.post(url, {**pin, "round_id": Round.objects.get(
        version__number=1, version__workshop=workshop, offer__key="per-juntos").pk})
    assert response.status_code == 409
    assert "Ana Organizadora saved version 2 at" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                    reason="needs PostgreSQL: SQLite serialises writers and has no row locks")
@committed
def test_two_concurrent_edits_cannot_both_win_on_postgresql(reference_data):
    organiser_user = make_user(Role.ORGANISER, first_name="Ana", last_name="Organizadora")
    workshop, _s, _d = small_workshop(organiser=organiser_user)
    first = Round.objects.get(version=workshop.current_version, offer__key="col-unidos").pk
    second = Round.objects.get(version=workshop.current_version, offer__key="per-juntos").pk
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(round_id):
        try:
            barrier.wait()
            editor.set_pinned(Workshop.objects.get(pk=workshop.pk), organiser_user,
                              based_on=1, round_id=round_id, pinned=True)
            outcomes.append("saved")
        except editor.StaleVersion:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(pk,)) for pk in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["saved", "stale"]
    assert ScheduleVersion.objects.filter(workshop=workshop).count() == 2
    workshop.refresh_from_db()
    assert workshop.current_version.number == 2

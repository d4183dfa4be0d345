"""Supply and demand: the services' rules and the pages delegates use (with and without JS)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking.models import Offer, Request
from matchmaking.services.demand import DemandError, rearranged, set_requests
from matchmaking.services.supply import SupplyError, set_offers
from programs.models import ProgramProfilePage
from programs.services.profiles import write_profile
from tests.matchmaking.conftest import attach
from tests.programs.conftest import profile_record

pytestmark = pytest.mark.django_db


def ranking_of(delegation):
    return list(delegation.requests.order_by("rank").values_list("offer__key", flat=True))


def published(**values):
    """The program's page as offers name it (its original language)."""
    page = write_profile(profile_record(**values), publish=True)
    return ProgramProfilePage.objects.get(
        translation_key=page.translation_key, locale__language_code=page.original_language)


def test_rearranged_moves_one_step_and_ignores_edges():
    assert rearranged([1, 2, 3], "up", 2) == [2, 1, 3]
    assert rearranged([1, 2, 3], "down", 2) == [1, 3, 2]
    assert rearranged([1, 2, 3], "up", 1) == [1, 2, 3]
    assert rearranged([1, 2, 3], "down", 3) == [1, 2, 3]
    assert rearranged([1, 2], "add", 3) == [1, 2, 3]
    assert rearranged([1, 2, 3], "remove", 2) == [1, 3]
    assert rearranged([1, 2], "up", 9) == [1, 2]


def test_set_requests_ranks_keeps_weights_and_refuses_bad_lists(santa_marta):
    col = santa_marta.delegations.get(key="COL")
    per_offers = list(Offer.objects.filter(workshop=santa_marta, delegation__key="PER"))
    kept = col.requests.order_by("rank").first()
    kept.weight = 0.7
    kept.save()
    set_requests(col, [per_offers[0].pk, kept.offer_id])
    assert ranking_of(col) == [per_offers[0].key, kept.offer.key]
    assert Request.objects.get(pk=kept.pk).weight == 0.7
    assert Request.objects.get(pk=kept.pk).rank == 2

    own = Offer.objects.filter(workshop=santa_marta, delegation=col).first()
    with pytest.raises(DemandError, match="your own offer"):
        set_requests(col, [own.pk])
    with pytest.raises(DemandError, match="once only"):
        set_requests(col, [per_offers[0].pk, per_offers[0].pk])
    santa_marta.max_requests = 1
    santa_marta.save()
    with pytest.raises(DemandError, match="at most 1 offer;"):
        set_requests(col, [p.pk for p in per_offers[:2]])
    assert ranking_of(col) == [per_offers[0].key, kept.offer.key]  # nothing half-written


def test_requests_close_at_the_deadline(santa_marta):
    santa_marta.requests_deadline = timezone.now() - timedelta(minutes=1)
    santa_marta.save()
    per = santa_marta.delegations.get(key="PER")
    with pytest.raises(DemandError, match="closed on"):
        set_requests(per, [])


def test_supply_offers_published_profiles_and_protects_requested_offers(santa_marta):
    col = santa_marta.delegations.get(key="COL")
    page = published(country="COL", external_id="COL-new-program", title_en="New program",
                     topics=["food_security"])
    before = Offer.objects.filter(delegation=col).count()
    set_offers(col, {page.pk: 2})
    offer = Offer.objects.get(workshop=santa_marta, profile=page)
    assert (offer.key, offer.title, offer.max_repeats, offer.topics) == (
        "COL-new-program", "New program", 2, ["food_security"])
    assert Offer.objects.filter(delegation=col).count() == before + 1
    set_offers(col, {page.pk: 3})
    assert Offer.objects.get(pk=offer.pk).max_repeats == 3

    # An offer another delegation requested cannot be withdrawn by omission.
    set_requests(santa_marta.delegations.get(key="PER"), [offer.pk])
    with pytest.raises(SupplyError, match="cannot be withdrawn"):
        set_offers(col, {})
    per_page = published(country="PER")
    with pytest.raises(SupplyError, match="not a published program of Colombia"):
        set_offers(col, {per_page.pk: 1})
    with pytest.raises(SupplyError, match="whole number from 1 to 20"):
        set_offers(col, {page.pk: 0})
    assert Offer.objects.get(pk=offer.pk).max_repeats == 3


def test_supply_closes_at_the_deadline(santa_marta):
    santa_marta.offers_deadline = timezone.now() - timedelta(days=1)
    santa_marta.save()
    with pytest.raises(SupplyError, match="closed on"):
        set_offers(santa_marta.delegations.get(key="COL"), {})


def test_delegate_reorders_without_javascript(client, santa_marta, delegate):
    col = attach(delegate, santa_marta, "COL")
    client.force_login(delegate)
    url = f"/en/workshops/{santa_marta.slug}/delegations/COL/requests/"
    page = client.get(url)
    assert page.status_code == 200
    original = ranking_of(col)
    ids = list(col.requests.order_by("rank").values_list("offer_id", flat=True))
    response = client.post(url, {"ranking": ids, "down": ids[0]})
    assert response.status_code == 302
    assert ranking_of(col) == [original[1], original[0], *original[2:]]

    other = Offer.objects.filter(workshop=santa_marta).exclude(delegation=col).exclude(
        pk__in=ids).first()
    client.post(url, {"ranking": ids, "add": other.pk})
    assert ranking_of(col)[-1] == other.key
    response = client.post(url, {"ranking": [other.pk], "remove": other.pk, "q": "food & c"})
    assert ranking_of(col) == []
    assert response["Location"].endswith("?q=food+%26+c#ranking")  # the search is kept


def test_demand_page_shows_summaries_and_filters(client, santa_marta, delegate):
    attach(delegate, santa_marta, "COL")
    client.force_login(delegate)
    url = f"/en/workshops/{santa_marta.slug}/delegations/COL/requests/"
    content = client.get(url, {"q": "Qali"}).content.decode()
    assert "Offers of the other delegations" in content
    assert content.count('class="offer"') == 1
    assert 'name="up"' in content and "demand.js" in content


def test_demand_page_reports_an_error_in_words(client, santa_marta, delegate):
    col = attach(delegate, santa_marta, "COL")
    client.force_login(delegate)
    own = Offer.objects.filter(workshop=santa_marta, delegation=col).first()
    url = f"/en/workshops/{santa_marta.slug}/delegations/COL/requests/"
    response = client.post(url, {"ranking": [own.pk]}, follow=True)
    assert "is your own offer" in response.content.decode()


def test_supply_page_saves_ticked_profiles(client, santa_marta, delegate):
    attach(delegate, santa_marta, "COL")
    page = published(country="COL", title_en="Ticked program")
    client.force_login(delegate)
    url = f"/en/workshops/{santa_marta.slug}/delegations/COL/offers/"
    assert "Ticked program" in client.get(url).content.decode()
    response = client.post(url, {f"offer_{page.pk}": "on", f"repeats_{page.pk}": "2"})
    assert response.status_code == 302
    assert Offer.objects.get(profile=page).max_repeats == 2
    response = client.post(url, {f"offer_{page.pk}": "on", f"repeats_{page.pk}": ""})
    assert "Say how often" in response.content.decode()


def test_a_delegate_of_another_delegation_is_refused(client, santa_marta, delegate):
    attach(delegate, santa_marta, "COL")
    client.force_login(delegate)
    url = f"/en/workshops/{santa_marta.slug}/delegations/PER/requests/"
    assert client.get(url).status_code == 403


def test_pages_speak_spanish(client, santa_marta, delegate):
    attach(delegate, santa_marta, "COL")
    client.force_login(delegate)
    content = client.get(
        f"/es/workshops/{santa_marta.slug}/delegations/COL/requests/").content.decode()
    assert "Guardar el orden" in content and "Subir" in content
    assert "movida a la posición {position} de {count}" in content
    assert "Talleres de cooperación" in client.get("/es/workshops/").content.decode()


def test_supply_and_demand_changes_are_logged_for_the_organisers_digest(santa_marta):
    from matchmaking.models import ChangeKind, WorkshopChange

    col = santa_marta.delegations.get(key="COL")
    page = published(country="COL", external_id="COL-logged", title_en="Logged program")
    set_offers(col, {page.pk: 1})
    set_offers(col, {page.pk: 2})
    offer = Offer.objects.get(workshop=santa_marta, profile=page)
    per = santa_marta.delegations.get(key="PER")
    set_requests(per, [offer.pk])
    set_requests(per, [])
    set_offers(col, {})
    # Peru's other requests were withdrawn too, and logged; this program's entries:
    assert list(WorkshopChange.objects.filter(workshop=santa_marta,
                                              offer="Logged program").values_list(
        "kind", "delegation", "offer", "other", "detail")) == [
        (ChangeKind.OFFER_ADDED, "Colombia", "Logged program", "", "× 1"),
        (ChangeKind.OFFER_CHANGED, "Colombia", "Logged program", "", "× 1 → × 2"),
        (ChangeKind.REQUEST_ADDED, "Peru", "Logged program", "Colombia", "#1"),
        (ChangeKind.REQUEST_REMOVED, "Peru", "Logged program", "Colombia", ""),
        (ChangeKind.OFFER_REMOVED, "Colombia", "Logged program", "", ""),
    ]

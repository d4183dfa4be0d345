"""Published profiles reach the discovery search in each language, with their facets; drafts
and contacts do not."""

import pytest

from programs.models import ProfileContact, ProgramProfilePage
from search.backends import get_backend

pytestmark = pytest.mark.django_db


def hits(text, **filters):
    return get_backend().query(text, filters=filters or None, per_page=50).hits


def test_profiles_are_indexed_when_published(make_profile, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_profile(external_id="COL-search", title_en="Searchable kitchens",
                     title_es="Cocinas buscables", topics=["nutrition"], sdg_goals=["2"],
                     start_date="2013")
        make_profile(external_id="COL-hidden", title_en="Hidden kitchens", publish=False)
    english = [hit for hit in hits("kitchens") if hit.title == "Searchable kitchens"]
    assert len(english) == 1 and english[0].url == "/en/programs/colombia/searchable-kitchens/"
    assert not [hit for hit in hits("kitchens") if hit.title == "Hidden kitchens"]
    assert [hit.title for hit in hits("cocinas", language=["es"])] == ["Cocinas buscables"]
    assert {hit.title for hit in hits("", topic=["nutrition"], content_type=["program"])} == {
        "Searchable kitchens", "Cocinas buscables"}
    assert {hit.title for hit in hits("", sdg=["2"], year=["2013"])} >= {"Searchable kitchens"}

    page = ProgramProfilePage.objects.get(external_id="COL-search", locale__language_code="en")
    page.contacts.add(ProfileContact(name="Ximena Secreta", email="ximena@example.gov.co"))
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert hits("Ximena") == [] and hits("ximena@example.gov.co") == []
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert not [hit for hit in hits("kitchens") if hit.title == "Searchable kitchens"]

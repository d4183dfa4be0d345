"""The index follows the content: publish, edit, unpublish, delete, view restrictions, and a
rolled-back save changes nothing. Indexing happens after commit."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, PageViewRestriction

from portal.models import HomePage, NewsPage, StandardPage
from search.backends import get_backend

pytestmark = pytest.mark.django_db


def indexed_titles(text):
    return {hit.title for hit in get_backend().query(text, per_page=100).hits}


@pytest.fixture
def home():
    return HomePage.objects.get(locale__language_code="en")


def test_pages_of_the_site_are_indexed_in_both_languages(db):
    titles = indexed_titles("")
    assert {"About the network", "Acerca de la red"} <= titles
    hit = next(hit for hit in get_backend().query("acerca").hits if hit.title == "Acerca de la red")
    assert hit.language == "es" and hit.url == "/es/acerca-de/"


def test_page_lifecycle_updates_the_index(home, commit):
    page = commit(lambda: home.add_child(instance=StandardPage(
        title="Cash transfer pilots", slug="pilots", live=False, introduction="Draft text")))
    assert "Cash transfer pilots" not in indexed_titles("pilots")  # a draft stays out

    commit(lambda: page.save_revision().publish())
    assert "Cash transfer pilots" in indexed_titles("pilots")

    page.title = "Renamed pilots"
    commit(lambda: page.save_revision())  # a draft of a live page: the live version stays
    assert "Cash transfer pilots" in indexed_titles("pilots")
    assert "Renamed pilots" not in indexed_titles("renamed")

    commit(lambda: page.get_latest_revision().publish())
    assert indexed_titles("renamed") == {"Renamed pilots"}
    assert "Cash transfer pilots" not in indexed_titles("pilots")

    commit(lambda: Page.objects.get(pk=page.pk).unpublish())
    assert "Renamed pilots" not in indexed_titles("renamed")

    commit(lambda: page.save_revision().publish())
    assert indexed_titles("renamed") == {"Renamed pilots"}
    commit(lambda: Page.objects.get(pk=page.pk).delete())
    assert indexed_titles("renamed") == set()


def test_view_restriction_hides_a_page_and_its_removal_shows_it_again(home, commit):
    page = commit(lambda: home.add_child(instance=StandardPage(
        title="Members only minutes", slug="minutes", introduction="Minutes")))
    assert "Members only minutes" in indexed_titles("minutes")
    restriction = commit(lambda: PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN))
    assert indexed_titles("minutes") == set()
    commit(lambda: restriction.delete())
    assert "Members only minutes" in indexed_titles("minutes")


def test_rolled_back_save_indexes_nothing(home, commit):
    def save_then_fail():
        with transaction.atomic():
            home.add_child(instance=StandardPage(title="Rolled back page", slug="rolled-back"))
            raise RuntimeError("the request failed")

    with pytest.raises(RuntimeError):
        commit(save_then_fail)
    assert indexed_titles("rolled back") == set()
    assert not StandardPage.objects.filter(slug="rolled-back").exists()


def test_news_pages_carry_their_date_and_year(home, commit):
    news = NewsPage.objects.live().first()
    hit = next(hit for hit in get_backend().query(news.title).hits if hit.title == news.title)
    assert hit.date == news.date
    assert hit.facets["year"] == [str(news.date.year)]


def test_rebuild_command_reindexes_every_public_page(home):
    get_backend().clear()
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    public = Page.objects.type(HomePage, StandardPage, NewsPage).live().public().count()
    assert get_backend().count() == public
    assert f"Search index rebuilt: {public} documents." in out.getvalue()
    assert "Writing index" in out.getvalue() and "100.0%" in out.getvalue()


def test_an_object_that_cannot_be_indexed_leaves_the_others_indexed(home, commit, monkeypatch):
    from search import signals

    write = signals._write_documents
    refused = []

    def failing_for_the_first(type_name, pk):
        if not refused:
            refused.append(pk)
            raise RuntimeError("the index refused this document")
        write(type_name, pk)

    monkeypatch.setattr(signals, "_write_documents", failing_for_the_first)
    commit(lambda: [home.add_child(instance=StandardPage(title=f"Pilot {n}", slug=f"pilot-{n}"))
                    for n in (1, 2)])
    assert len(refused) == 1
    assert len(indexed_titles("pilot") & {"Pilot 1", "Pilot 2"}) == 1

"""Translating a profile with wagtail-localize: text is translated, facts stay in step."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from programs.models import ProgramProfilePage, ProgressReport, Topic

pytestmark = pytest.mark.django_db


def translate_everything(source, locale, prefix="ES "):
    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string, locale=locale, context=segment.context,
            defaults={"data": prefix + segment.string.data})


def test_profile_translated_with_wagtail_localize(client, make_profile,
                                                 django_capture_on_commit_callbacks):
    page = make_profile(external_id="COL-localize", title_en="Localized program", title_es="",
                        topics=["education"], start_date="2011")
    page = ProgramProfilePage.objects.get(pk=page.pk)
    page.progress_reports.add(ProgressReport(rating="amber", summary="<p>Halfway there.</p>"))
    page.save_revision().publish()
    spanish = Locale.objects.get(language_code="es")

    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=spanish)
    translate_everything(source, spanish)
    # wagtail-localize publishes once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)

    translated = ProgramProfilePage.objects.get(translation_key=page.translation_key,
                                                locale=spanish)
    assert translated.live and translated.title == "ES Localized program"
    assert translated.external_id == "COL-localize" and translated.start_date == "2011"
    assert translated.country.iso3 == "COL" and translated.original_language == "en"
    assert [topic.key for topic in translated.topics.all()] == ["education"]
    [report] = translated.progress_reports.all()
    assert report.locale == spanish and "ES Halfway there." in report.summary
    html = client.get(translated.url).content.decode()
    assert "ES Localized program" in html
    assert "Translation. The original is in English." in html or (
        "Traducción. El original está en inglés." in html)

    # The source changes its topics: re-synchronising the translation carries them over.
    page = ProgramProfilePage.objects.get(pk=page.pk)
    page.topics.set([Topic.objects.get(key="nutrition")])
    page.save_revision().publish()
    source.update_from_db()
    translate_everything(source, spanish)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    translated.refresh_from_db()
    assert [topic.key for topic in translated.topics.all()] == ["nutrition"]
    api = client.get(f"/api/v1/programs/{page.translation_key}/").json()
    assert api["title"] == {"en": "Localized program", "es": "ES Localized program"}
    assert api["progress_reports"][0]["summary"]["es"] == "<p>ES Halfway there.</p>"

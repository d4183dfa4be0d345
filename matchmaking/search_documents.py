"""The workshops' published outcome reports in the discovery search, one document per
language. Only the report's text and the intentions' parties, topics and programs reach the
index; contacts and notes never do."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from matchmaking.models import CooperationIntention, OutcomeReport
from matchmaking.services.outcome_reports import party_name
from search.documents import SearchDocument, register


def _reports():
    return OutcomeReport.objects.select_related("workshop")


def _intention_lines(report, language):
    from programs.models import Topic

    topics = {topic.key: (topic.name_es if language == "es" and topic.name_es else topic.name_en)
              for topic in Topic.objects.all()}
    intentions = (CooperationIntention.objects.filter(workshop=report.workshop)
                  .select_related("demanding__country", "offer")
                  .prefetch_related("suppliers__country")
                  .order_by("number"))
    lines, countries, topic_keys = [], set(), set()
    for intention in intentions:
        suppliers = list(intention.suppliers.all())
        for delegation in [intention.demanding, *suppliers]:
            if delegation.country_id:
                countries.add(delegation.country.iso3)
        if intention.topic:
            topic_keys.add(intention.topic)
        lines.append(" ".join(filter(None, [
            party_name(intention.demanding), "←",
            ", ".join(party_name(supplier) for supplier in suppliers) or "?", ":",
            topics.get(intention.topic, ""), intention.offer.title if intention.offer_id else "",
        ])))
    return lines, sorted(countries), sorted(topic_keys)


@register("outcome_report", model=OutcomeReport, label=_("Workshop outcome report"),
          is_public=lambda report: report.is_published, queryset=_reports)
def outcome_report_documents(report):
    documents = []
    for language in ("en", "es"):
        with translation.override(language):
            lines, countries, topic_keys = _intention_lines(report, language)
            title = report.title_es if language == "es" else report.title_en
            summary = report.summary_es if language == "es" else report.summary_en
            date = report.published_on
            documents.append(SearchDocument(
                title=title, url=report.url_in(language), language=language, summary=summary,
                body="\n".join([report.workshop.name, summary, *lines]), date=date,
                facets={"country": countries, "topic": topic_keys,
                        "year": [str(date.year)] if date else []}))
    return documents

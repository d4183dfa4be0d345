"""The schedule editor's filters: room, session, delegation, topic, and the page of rooms."""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.models import Offer
from matchmaking.services.schedule_filters import ScheduleFilters
from programs.models import Topic

FILTER_FIELDS = ("room", "session", "delegation", "topic")


class ScheduleFilterForm(forms.Form):
    room = forms.ChoiceField(label=_("Room"), required=False)
    session = forms.ChoiceField(label=_("Session"), required=False)
    delegation = forms.ChoiceField(label=_("Delegation"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, workshop, data):
        super().__init__(data)
        self.workshop = workshop
        self.sessions = {s.key: s for s in workshop.sessions.order_by("starts_at", "key")}
        self.rooms = {r.key: r for r in workshop.rooms.order_by("key")}
        self.delegations = {d.key: d for d in workshop.delegations.order_by("name")}
        self.offer_topics = dict(Offer.objects.filter(workshop=workshop)
                                 .values_list("pk", "topics"))
        used_topics = sorted({key for topics in self.offer_topics.values()
                              for key in topics or ()})
        names = {t.key: t.name for t in Topic.objects.filter(key__in=used_topics)}
        everything = [("", _("All"))]
        self.fields["room"].choices = everything + [(k, r.name) for k, r in self.rooms.items()]
        self.fields["session"].choices = everything + [
            (k, str(s)) for k, s in self.sessions.items()]
        self.fields["delegation"].choices = everything + [
            (k, d.name) for k, d in self.delegations.items()]
        self.fields["topic"].choices = everything + sorted(
            ((key, names.get(key, key)) for key in used_topics), key=lambda item: item[1])
        for name in FILTER_FIELDS:
            self.fields[name].error_messages["invalid_choice"] = _(
                "“%(value)s” is not one of this workshop's choices; showing every one instead.")

    def filters(self):
        """The filters the request asked for; a value that is not valid is left out."""
        self.is_valid()
        cleaned = self.cleaned_data
        topic = cleaned.get("topic") or ""
        return ScheduleFilters(
            room=self.rooms.get(cleaned.get("room") or ""),
            session=self.sessions.get(cleaned.get("session") or ""),
            delegation=self.delegations.get(cleaned.get("delegation") or ""),
            topic=topic,
            topic_offers=frozenset(pk for pk, topics in self.offer_topics.items()
                                   if topic in (topics or ())),
            page=cleaned.get("page") or 1,
        )

    def query(self, **changes):
        """The valid filters as a query string (without `?`), with `changes` applied."""
        filters = self.filters()
        values = {"room": filters.room.key if filters.room else "",
                  "session": filters.session.key if filters.session else "",
                  "delegation": filters.delegation.key if filters.delegation else "",
                  "topic": filters.topic,
                  "page": filters.page if filters.page != 1 else ""}
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value})

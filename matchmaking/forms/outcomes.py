"""Forms of the cooperation outcomes: the quick intention form, stage moves, funding and the
public report. Checks that need the database's view of things live in the services."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.models import ActivityType, Delegation, Focus, Mechanism, Offer, Stage
from matchmaking.services.outcomes import IntentionFields

NO_ANSWER = [("", _("No answer"))]


class IntentionForm(forms.Form):
    """Short enough for a phone in the room: the parties and the program first, the rest
    optional."""

    demanding = forms.ModelChoiceField(queryset=Delegation.objects.none(),
                                       label=_("Demanding delegation"))
    suppliers = forms.ModelMultipleChoiceField(
        queryset=Delegation.objects.none(), label=_("Supplying delegations"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the supplier is not decided yet."))
    offer = forms.ModelChoiceField(queryset=Offer.objects.none(), label=_("Program"),
                                   required=False, empty_label=_("Not one of the offers"))
    topic = forms.ChoiceField(label=_("Topic"), required=False,
                              help_text=_("Empty: the program's first topic."))
    activity_types = forms.MultipleChoiceField(
        label=_("Activity types"), required=False, choices=ActivityType.choices,
        widget=forms.CheckboxSelectMultiple)
    mechanism = forms.ChoiceField(label=_("Cooperation mechanism"), required=False,
                                  choices=NO_ANSWER + Mechanism.choices,
                                  widget=forms.RadioSelect)
    focus = forms.ChoiceField(label=_("Focus"), required=False,
                              choices=NO_ANSWER + Focus.choices, widget=forms.RadioSelect)
    focus_component = forms.CharField(label=_("Component"), required=False, max_length=300,
                                      help_text=_("Only for a specific component: name it."))
    expected_start = forms.DateField(label=_("Expected start"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    expected_end = forms.DateField(label=_("Expected end"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    contacts = forms.CharField(label=_("Contacts"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("Who follows it up on each side. Never published."))
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        from programs.models import Topic

        delegations = Delegation.objects.filter(workshop=workshop).order_by("name")
        self.fields["demanding"].queryset = delegations
        self.fields["suppliers"].queryset = delegations
        self.fields["offer"].queryset = (Offer.objects.filter(workshop=workshop)
                                         .select_related("delegation")
                                         .order_by("delegation__name", "title"))
        self.fields["offer"].label_from_instance = lambda offer: (
            f"{offer.title} ({offer.delegation.name})")
        topics = sorted(((topic.key, topic.name) for topic in Topic.objects.all()),
                        key=lambda choice: choice[1].casefold())
        self.fields["topic"].choices = [("", "—"), *topics]

    def intention_fields(self):
        data = self.cleaned_data
        return IntentionFields(
            demanding=data["demanding"], suppliers=list(data["suppliers"]),
            offer=data["offer"], topic=data["topic"], activity_types=data["activity_types"],
            mechanism=data["mechanism"], focus=data["focus"],
            focus_component=data["focus_component"], expected_start=data["expected_start"],
            expected_end=data["expected_end"], contacts=data["contacts"], notes=data["notes"])

    @staticmethod
    def initial_for(intention):
        return {
            "demanding": intention.demanding_id, "suppliers": list(intention.suppliers.all()),
            "offer": intention.offer_id, "topic": intention.topic,
            "activity_types": intention.activity_types, "mechanism": intention.mechanism,
            "focus": intention.focus, "focus_component": intention.focus_component,
            "expected_start": intention.expected_start, "expected_end": intention.expected_end,
            "contacts": intention.contacts, "notes": intention.notes,
        }


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    moved_on = forms.DateField(label=_("Date"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Empty: today."))
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Required when moving back or reopening."))

    def moved_at(self):
        return _start_of(self.cleaned_data.get("moved_on"))


class FundingForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=12,
                                decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    source = forms.CharField(label=_("Source of the funding"), max_length=300)
    selected_on = forms.DateField(label=_("Selected on"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("Empty: today."))

    def selected_at(self):
        return _start_of(self.cleaned_data.get("selected_on"))


class OutcomeReportForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_es = forms.CharField(label=_("Title (Spanish)"), max_length=200)
    summary_en = forms.CharField(label=_("Summary (English)"), widget=forms.Textarea)
    summary_es = forms.CharField(label=_("Summary (Spanish)"), widget=forms.Textarea)


def _start_of(day):
    """A date typed in a form, as a moment. Today means now; an earlier day means its last
    second, so that a move dated the same day as the previous one is never ordered before it.
    A later day stays in the future, for the service to refuse."""
    if day is None or day == timezone.localdate():
        return None
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))

"""Public pages of the articulator registry: registration, one-time links, directory,
dashboard and exports. Views parse the request, call a service and show its answer."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from programs.forms.registry import (
    ActivitiesForm,
    ContactForm,
    DashboardFilterForm,
    DirectoryFilterForm,
    EditLinkRequestForm,
    EntryForms,
    OrganisationForm,
    OwnerAccountForm,
    PlaceForm,
    contact_values,
    initial_from_values,
    organisation_values,
)
from programs.models import Articulator, ArticulatorRegistrationPage, ArticulatorToken
from programs.models.registry import LinkageAnswer
from programs.services import registry as services
from programs.services.registry_exports import EXPORTERS, FORMATS
from programs.services.statistics import compute_statistics, statistics_rows
from programs.views.registry_charts import bar_chart


def client_address(request):
    return request.META.get("REMOTE_ADDR") or ""


def registration_page():
    """The registration page in the active language (or any language as a fallback)."""
    pages = ArticulatorRegistrationPage.objects.live()
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        locale = None
    return (pages.filter(locale=locale).first() if locale else None) or pages.first()


# --- Summaries -----------------------------------------------------------------------------------


def _answer_label(value):
    return dict(LinkageAnswer.CHOICES)[LinkageAnswer.from_value(value)]


def entry_summary(values, include_contact_email=False):
    """(label, value) rows describing an entry, from the mapping the services use."""
    region = values.get("head_office_region")
    rows = [
        (_("Organisation name"), values["name"]),
        (_("Legal form"), values["legal_form"]),
        (_("Sector"), values["sector"].name),
        (_("Country"), values["country"].name),
        (_("Region of the head office"), region.name if region else None),
        (_("Macrozone"), region.macrozone.name if region and region.macrozone else None),
        (_("Regions where the organisation works"),
         [item.name for item in values["regions"]] or None),
        (_("Scope"), values["scope"].name),
        (_("Support it provides to the ecosystem"),
         [item.name for item in values["support_types"]]),
        (_("Runs linkage activities with other actors"),
         _answer_label(values["runs_linkage_activities"])),
        (_("How it links with other actors"), values["linkage_description"] or None),
        (_("Has made alliances with other actors"), _answer_label(values["has_alliances"])),
        (_("Alliances it has made"), values["alliances_description"] or None),
        (_("Poverty topics"), [item.name for item in values["poverty_topics"]]),
        (_("Website"), values["website"] or None),
        (_("About the organisation"), values["description"] or None),
        (_("Contact person"), values["contact_name"]),
    ]
    if include_contact_email:
        rows.append((_("Contact email (not published)"), values["contact_email"]))
    return [{"label": label, "value": value, "is_list": isinstance(value, list)}
            for label, value in rows if value not in (None, "", [])]


# --- Registration (served by ArticulatorRegistrationPage) ---------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    form_class: type | None


STEPS = [
    Step("organisation", gettext_lazy("Organisation"), OrganisationForm),
    Step("place", gettext_lazy("Where it works"), PlaceForm),
    Step("activities", gettext_lazy("What it does"), ActivitiesForm),
    Step("contact", gettext_lazy("Contact and consent"), ContactForm),
    Step("review", gettext_lazy("Check and send"), None),
]
STEP_NAMES = [step.name for step in STEPS]
SESSION_KEY = "programs.articulator_registration"


class RegistrationProgress:
    """The answers given so far, kept in the session as submitted (one mapping per step)."""

    def __init__(self, session):
        self.session = session
        stored = session.get(SESSION_KEY) or {}
        self.answers = stored.get("answers", {})
        self.reached = min(int(stored.get("reached", 0)), len(STEPS) - 1)

    def save(self):
        self.session[SESSION_KEY] = {"answers": self.answers, "reached": self.reached}

    def clear(self):
        self.session.pop(SESSION_KEY, None)

    def raw(self, step_name):
        return self.answers.get(step_name)

    def remember(self, step, form, post):
        self.answers[step.name] = {name: post.getlist(name) for name in form.fields}

    def bind(self, step, data=None):
        """The step's form, bound to ``data`` or to the stored answers (unbound if none)."""
        if data is None and self.raw(step.name) is not None:
            data = MultiValueDict(self.raw(step.name))
        kwargs = {}
        if step.form_class is PlaceForm:
            kwargs["country"] = self.country()
        return step.form_class(data, **kwargs)

    def country(self):
        form = self.bind(STEPS[0])
        return form.cleaned_data["country"] if form.is_bound and form.is_valid() else None

    def first_invalid_step(self):
        for index, step in enumerate(STEPS[:-1]):
            form = self.bind(step)
            if not form.is_bound or not form.is_valid():
                return index
        return None

    def entry_values(self):
        forms = {step.name: self.bind(step) for step in STEPS[:-1]}
        for form in forms.values():
            form.is_valid()
        return {
            **organisation_values(forms["organisation"]),
            **forms["place"].entry_values(),
            **forms["activities"].entry_values(),
            **contact_values(forms["contact"]),
        }


def _step_url(page, step_name):
    return f"{page.url}?{urlencode({'step': step_name})}"


def registration_form(request, page):
    progress = RegistrationProgress(request.session)
    requested = request.GET.get("step") or STEP_NAMES[min(progress.reached, len(STEPS) - 1)]
    if requested == "sent":
        return render(request, "programs/registry/registration_sent.html",
                      {"page": page, "sent_to": request.session.get(f"{SESSION_KEY}.sent_to")})
    if requested not in STEP_NAMES:
        return redirect(_step_url(page, STEP_NAMES[progress.reached]))
    index = STEP_NAMES.index(requested)
    if index > progress.reached:
        return redirect(_step_url(page, STEP_NAMES[progress.reached]))
    step = STEPS[index]
    if step.form_class is None:
        return _review_step(request, page, progress)

    if request.method == "POST":
        form = progress.bind(step, request.POST)
        if isinstance(form, OrganisationForm) and form.caught_robot:
            progress.clear()
            return redirect(_step_url(page, "sent"))
        if request.POST.get("action") == "back" and index > 0:
            progress.remember(step, form, request.POST)
            progress.save()
            return redirect(_step_url(page, STEP_NAMES[index - 1]))
        if form.is_valid():
            if step.name == "organisation":
                previous_country = progress.country()
                if previous_country is not None and previous_country != form.cleaned_data[
                        "country"]:
                    # Regions belong to a country: the old answers no longer apply.
                    progress.answers.pop("place", None)
                    progress.reached = min(progress.reached, index + 1)
            progress.remember(step, form, request.POST)
            progress.reached = max(progress.reached, index + 1)
            progress.save()
            return redirect(_step_url(page, STEP_NAMES[index + 1]))
    else:
        form = progress.bind(step)
    return render(request, "programs/registry/registration_step.html", {
        "page": page, "form": form, "form_list": [form], "step": step, "step_index": index,
        "steps": _steps_for_navigation(page, progress, index), "step_count": len(STEPS),
        "country": progress.country() if step.form_class is PlaceForm else None,
    })


def _steps_for_navigation(page, progress, current):
    return [
        {"number": position + 1, "title": step.title, "current": position == current,
         "done": position < progress.reached and position != current,
         "url": _step_url(page, step.name) if position <= progress.reached else None}
        for position, step in enumerate(STEPS)
    ]


def _review_step(request, page, progress):
    invalid = progress.first_invalid_step()
    if invalid is not None:
        messages.error(request, _("Some answers are missing or need correcting."))
        progress.reached = invalid
        progress.save()
        return redirect(_step_url(page, STEP_NAMES[invalid]))
    values = progress.entry_values()
    error = None
    status = 200
    if request.method == "POST":
        try:
            services.register(
                values, language=get_language(), client_address=client_address(request),
                user=request.user,
            )
        except services.TooManyAttempts as refusal:
            error, status = str(refusal), 429
        except services.RegistryError as refusal:
            error, status = str(refusal), 400
        else:
            progress.clear()
            request.session[f"{SESSION_KEY}.sent_to"] = values["contact_email"]
            return redirect(_step_url(page, "sent"))
    duplicates = services.find_probable_duplicates(
        name=values["name"], website=values["website"], country=values["country"],
        public_only=True,
    )
    return render(request, "programs/registry/registration_review.html", {
        "page": page, "summary": entry_summary(values, include_contact_email=True),
        "duplicates": duplicates, "error": error, "step": STEPS[-1],
        "step_index": len(STEPS) - 1, "step_count": len(STEPS),
        "steps": _steps_for_navigation(page, progress, len(STEPS) - 1),
        "change_links": [(step.title, _step_url(page, step.name)) for step in STEPS[:-1]],
    }, status=status)


# --- One-time links ------------------------------------------------------------------------------


def _link_problem(request, error, status=410):
    return render(request, "programs/registry/link_problem.html", {"error": error},
                  status=status)


@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    try:
        token_row = services.find_usable_token(token, ArticulatorToken.Purpose.CONFIRM_EMAIL)
    except services.RegistryError as error:
        return _link_problem(request, str(error))
    if request.method == "POST":
        try:
            entry = services.confirm_email(token)
        except services.RegistryError as error:
            return _link_problem(request, str(error))
        return render(request, "programs/registry/confirm_email_done.html", {"entry": entry})
    return render(request, "programs/registry/confirm_email.html",
                  {"entry": token_row.articulator})


def _edit_form_context(entry, forms, **extra):
    return {"entry": entry, "forms": forms, **extra}


def _handle_edit(request, entry, *, token=None, template="programs/registry/edit.html",
                 extra=None):
    extra = extra or {}
    # The form starts from the organisation's pending changes, if a moderator has not yet
    # decided on them, else from the approved version.
    initial = initial_from_values(services.entry_values(entry.get_latest_revision_as_object()))
    if request.method == "POST" and request.POST.get("action") != "create_account":
        forms = EntryForms(request.POST, initial=initial)
        if forms.is_valid():
            try:
                services.propose_changes(entry.pk, forms.entry_values(), user=request.user,
                                         token=token)
            except services.RegistryError as error:
                messages.error(request, str(error))
            else:
                return render(request, "programs/registry/edit_done.html", {"entry": entry})
        status = 200
    else:
        forms = EntryForms(initial=initial)
        status = 200
    return render(request, template, _edit_form_context(entry, forms, **extra), status=status)


@require_http_methods(["GET", "POST"])
def edit_with_token(request, token):
    try:
        token_row = services.find_usable_token(token, ArticulatorToken.Purpose.EDIT)
    except services.RegistryError as error:
        return _link_problem(request, str(error))
    entry = token_row.articulator
    if not entry.live:
        return _link_problem(request, _("This entry is not published, so it cannot be edited."))
    account_form = OwnerAccountForm(
        request.POST if request.POST.get("action") == "create_account" else None)
    if account_form.is_bound and account_form.is_valid():
        try:
            user, created = services.create_owner_account(
                token, first_name=account_form.cleaned_data["first_name"],
                last_name=account_form.cleaned_data["last_name"],
                password=account_form.cleaned_data["password1"],
            )
        except services.RegistryError as error:
            account_form.add_error(None, str(error))
        else:
            if created:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Your account is ready. You can now edit your "
                                            "entry whenever you need to."))
                return redirect("programs:articulator_edit_own", pk=entry.pk)
            messages.success(request, _("Your existing account now manages this entry. Sign "
                                        "in to edit it."))
            return redirect(reverse("accounts:login") + "?" + urlencode(
                {"next": reverse("programs:articulator_edit_own", kwargs={"pk": entry.pk})}))
    return _handle_edit(request, entry, token=token,
                        extra={"account_form": account_form, "via_link": True})


@login_required
@require_http_methods(["GET", "POST"])
def edit_own(request, pk):
    entry = get_object_or_404(Articulator, pk=pk)
    if not services.can_edit_through_account(request.user, entry):
        raise Http404
    if not entry.live:
        return _link_problem(request, _("This entry is not published yet, so it cannot be "
                                        "edited. You will hear from the moderators."),
                             status=409)
    return _handle_edit(request, entry, extra={"via_link": False})


@require_http_methods(["GET", "POST"])
def edit_link_request(request):
    form = EditLinkRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.send_edit_links(form.cleaned_data["email"],
                                     client_address=client_address(request))
        except services.TooManyAttempts as error:
            form.add_error(None, str(error))
            status = 429
        else:
            return render(request, "programs/registry/edit_link_sent.html",
                          {"email": form.cleaned_data["email"]})
    return render(request, "programs/registry/edit_link_request.html", {"form": form},
                  status=status)


@require_http_methods(["GET", "POST"])
def reconfirm(request, token):
    try:
        token_row = services.find_usable_token(token, ArticulatorToken.Purpose.RECONFIRM)
    except services.RegistryError as error:
        return _link_problem(request, str(error))
    entry = token_row.articulator
    if request.method == "POST":
        try:
            entry = services.reconfirm(token)
        except services.RegistryError as error:
            return _link_problem(request, str(error))
        return render(request, "programs/registry/reconfirm_done.html", {"entry": entry})
    return render(request, "programs/registry/reconfirm.html", {
        "entry": entry, "summary": entry_summary(services.entry_values(entry)),
    })


# --- Directory -----------------------------------------------------------------------------------

DIRECTORY_PAGE_SIZE = 20


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    entries = form.filter(Articulator.objects.approved()).select_related(
        "sector", "country", "scope", "head_office_region__macrozone",
    ).order_by("name", "pk")
    paginator = Paginator(entries, DIRECTORY_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    for entry in page_obj:
        entry.flagged_stale = entry.is_stale(now)
    query = request.GET.copy()
    query.pop("page", None)
    managed = (Articulator.objects.filter(owner=request.user).order_by("name")
               if request.user.is_authenticated else Articulator.objects.none())
    return render(request, "programs/registry/directory.html", {
        "managed_entries": managed,
        "form": form, "page_obj": page_obj, "query_prefix": _query_without_page(request),
        "export_query": query.urlencode(), "registration_page": registration_page(),
        "formats": list(FORMATS),
    })


def detail(request, pk):
    entry = get_object_or_404(
        Articulator.objects.approved().select_related(
            "sector", "country", "scope", "head_office_region__macrozone"), pk=pk)
    return render(request, "programs/registry/detail.html", {
        "entry": entry, "summary": entry_summary(services.entry_values(entry)),
        "stale": entry.is_stale(), "can_edit": services.can_edit_through_account(
            request.user, entry),
    })


# --- Dashboard and exports ---------------------------------------------------------------------


def dashboard(request):
    form = DashboardFilterForm(request.GET or None)
    stats = compute_statistics(**form.statistics_filters())
    charts = [
        (distribution, bar_chart(f"chart-{distribution.key}", distribution.title,
                                 distribution.shares))
        for distribution in stats.distributions
    ]
    headline = [stats.private_sector, stats.linkage, stats.alliances]
    return render(request, "programs/registry/dashboard.html", {
        "form": form, "stats": stats, "charts": charts, "headline": headline,
        "headline_chart": bar_chart("chart-headline", _("Key shares"), headline),
        "csv_query": request.GET.urlencode(),
    })


def dashboard_csv(request):
    import csv
    import io

    form = DashboardFilterForm(request.GET or None)
    stats = compute_statistics(**form.statistics_filters())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["statistic", "key", "label", "count", "denominator", "percent"])
    writer.writerows(statistics_rows(stats))
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="ecosystem-dashboard-{timezone.localdate().isoformat()}.csv"')
    return response


def export(request, file_format):
    if file_format not in EXPORTERS:
        raise Http404
    form = DirectoryFilterForm(request.GET or None)
    content = EXPORTERS[file_format](form.filter(Articulator.objects.approved()))
    response = HttpResponse(content, content_type=FORMATS[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="ecosystem-registry-{timezone.localdate().isoformat()}'
        f'.{file_format}"')
    return response

"""Views beside the profile pages: index filtering, PDF sheets, export and import."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from portal.pdf import render_pdf
from programs.forms.profiles import ImportUploadForm, ProfileFilterForm
from programs.models import ImportBatch, profiles_in_locale
from programs.services import exports, imports
from programs.services.profiles import user_may_import, user_may_publish_directly

PAGE_SIZE = 20


def filtered_profiles(request, locale):
    form = ProfileFilterForm(request.GET or None)
    profiles = form.filter(profiles_in_locale(locale)).select_related("country", "locale")
    return form, profiles


def programs_index_context(request, index_page):
    form, profiles = filtered_profiles(request, index_page.locale)
    profiles = profiles.prefetch_related("topics", "statuses").order_by("title")
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {name: value for name, value in request.GET.items()
               if name in ProfileFilterForm.base_fields and value}
    return {
        "filter_form": form,
        "profiles_page": page,
        "filter_query": urlencode(filters),
        "export_formats": ["csv", "xlsx", "json"],
        "may_import": user_may_import(request.user),
    }


def profile_pdf(request, profile):
    html_context = {
        "profile": profile,
        "page": profile,
        "generated_on": timezone.localdate(),
        "content_language": profile.locale.language_code,
    }
    pdf = render_pdf("programs/profiles/profile_sheet.html", html_context, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{profile.slug}.pdf"'
    return response


@require_http_methods(["GET"])
def export_profiles(request):
    file_format = request.GET.get("format", "csv")
    if file_format not in exports.EXPORTERS:
        return HttpResponseBadRequest(_("Choose the format csv, xlsx or json."))
    _form, profiles = filtered_profiles(request, Locale.get_active())
    records = exports.profile_records(profiles.order_by("country__name_en", "title"))
    exporter, content_type = exports.EXPORTERS[file_format]
    response = HttpResponse(exporter(records), content_type=content_type)
    filename = f"program-profiles-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def import_template(request, file_format):
    if file_format == "csv":
        content, content_type = exports.export_csv([]), "text/csv; charset=utf-8"
    elif file_format == "xlsx":
        content = exports.template_xlsx()
        content_type = exports.EXPORTERS["xlsx"][1]
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="program-profiles-template.{file_format}"')
    return response


def _require_importer(request):
    if not user_may_import(request.user):
        raise PermissionDenied


@login_required
def import_upload(request):
    _require_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.create_batch(request.user, form.cleaned_data["file"])
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("programs:import_review", batch_id=batch.pk)
    return render(request, "programs/profiles/import_upload.html", {
        "form": form,
        "publishes": user_may_publish_directly(request.user),
        "max_rows": imports.MAX_ROWS,
    })


@login_required
def import_review(request, batch_id):
    _require_importer(request)
    batch = get_object_or_404(ImportBatch, pk=batch_id, uploaded_by=request.user)
    if request.method == "POST" and batch.applied_at is None:
        try:
            preview = imports.apply_batch(batch, request.user)
        except imports.ImportRefused as error:
            messages.error(request, str(error))
            return redirect("programs:import_review", batch_id=batch.pk)
        counts = preview.counts
        if user_may_publish_directly(request.user):
            text = _("Imported and published: %(new)s new and %(update)s updated profiles.")
        else:
            text = _("Imported and submitted for moderation: %(new)s new and %(update)s "
                     "updated profiles.")
        messages.success(request, text % counts)
        if counts["error"]:
            messages.warning(request, _("%(error)s rows with errors were left out.") % counts)
        return redirect("programs:import")
    file_error = None
    preview = None
    try:
        preview = imports.preview_batch(batch, request.user)
    except imports.ImportFileError as error:
        file_error = str(error)
    return render(request, "programs/profiles/import_review.html", {
        "batch": batch,
        "preview": preview,
        "file_error": file_error,
        "publishes": user_may_publish_directly(request.user),
    })

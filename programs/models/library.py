"""The document library: evaluations, reports and manuals that members share, described by
the same vocabularies as program profiles so that one search finds them together.

It is Wagtail's document model (WAGTAILDOCS_DOCUMENT_MODEL), so every document chooser,
collection permission and the admin's document screens work on it unchanged.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document

LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("pt", _("Portuguese")),
             ("fr", _("French"))]


class LibraryDocumentType(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluation")
    CASE_STUDY = "case_study", _("Case study")
    REPORT = "report", _("Report")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    MANUAL = "manual", _("Manual or guide")
    FORM = "form", _("Form or template")
    OTHER = "other", _("Other")


class LibraryDocument(AbstractDocument):
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="en")
    country = models.ForeignKey(
        "portal.Country", verbose_name=_("country"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="library_documents",
        help_text=_("The country the document is about; leave empty for regional documents."))
    topics = models.ManyToManyField("programs.Topic", verbose_name=_("topics"), blank=True,
                                    related_name="library_documents")
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("Year of publication."))
    document_type = models.CharField(_("type"), max_length=20,
                                     choices=LibraryDocumentType.choices,
                                     default=LibraryDocumentType.REPORT)
    summary = models.TextField(_("summary"), blank=True)
    # Filled from the file (PDF, DOCX or plain text) whenever the file changes.
    extracted_text = models.TextField(_("text of the file"), blank=True, editable=False)
    extracted_from = models.CharField(max_length=255, blank=True, editable=False)

    admin_form_fields = (*Document.admin_form_fields, "language", "country", "topics", "year",
                         "document_type", "summary")

    class Meta(AbstractDocument.Meta):
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        permissions = [("choose_document", "Can choose document")]

    def clean(self):
        super().clean()
        if self.file and not getattr(self.file, "_committed", True):  # a new upload
            from portal.uploads import check_document

            try:
                check_document(self.file)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from error

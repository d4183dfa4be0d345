"""StreamField blocks shared by the portal's content pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from portal.navigation import SECTIONS, section_url


class EntryPointBlock(blocks.StructBlock):
    """A card on the home page leading to a part of the portal."""

    title = blocks.CharBlock(label=_("Title"), max_length=80)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=300)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    section = blocks.ChoiceBlock(
        label=_("Portal section"),
        choices=[(key, section.label) for key, section in SECTIONS.items()],
        required=False,
        help_text=_("Used when no page is chosen."),
    )

    class Meta:
        icon = "link"
        template = "components/entry_point.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        url = None
        if value.get("page"):
            url = value["page"].localized.url
        elif value.get("section") in SECTIONS:
            url = section_url(value["section"])
        context["url"] = url
        return context


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", icon="title",
                               template="components/heading_block.html")
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"],
    )
    image = ImageChooserBlock(label=_("Image"), template="components/image_block.html")
    document = DocumentChooserBlock(label=_("Document"), template="components/document_block.html")
    quote = blocks.BlockQuoteBlock(label=_("Quote"))

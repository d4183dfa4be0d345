from django import template
from django.utils.translation import get_language, pgettext_lazy

register = template.Library()


@register.simple_tag(takes_context=True)
def profile_url(context, profile):
    """The profile's address for a reader of the active language: its translation, or the
    original served under this language's country page when it has none."""
    request = context.get("request")
    language = (get_language() or "en").split("-")[0]
    if profile.locale.language_code == language:
        return profile.get_url(request)
    return profile.url_in_language(language, request) or profile.get_url(request)


# Language names as they read inside a sentence ("the original is in English" / "en inglés").
LANGUAGE_NAMES_IN_SENTENCE = {
    "en": pgettext_lazy("language name inside a sentence", "English"),
    "es": pgettext_lazy("language name inside a sentence", "Spanish"),
}


@register.filter
def language_label(code):
    return LANGUAGE_NAMES_IN_SENTENCE.get(code, code)


@register.simple_tag
def approval_comment(obj):
    """The comment left when ``obj``'s latest workflow was approved (Wagtail's approval email
    does not include it; the rejection email does)."""
    from wagtail.models import TaskState

    task_state = (TaskState.objects.for_instance(obj)
                  .filter(status=TaskState.STATUS_APPROVED).order_by("-finished_at").first())
    return task_state.get_comment() if task_state is not None else ""

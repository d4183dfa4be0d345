"""Wagtail's moderation happens in its admin; these receivers turn its outcomes into the
registry's bookkeeping and the emails the organisation receives."""

from wagtail.models import WorkflowState
from wagtail.signals import published, workflow_rejected

from programs.models import Articulator


def connect():
    published.connect(on_published, sender=Articulator, dispatch_uid="programs.registry.published")
    workflow_rejected.connect(on_workflow_rejected, dispatch_uid="programs.registry.rejected")


def _approval_comment(entry):
    """The comment of the review that has just approved ``entry``, if a review did."""
    state = WorkflowState.objects.for_instance(entry).order_by("-created_at", "-pk").first()
    if state is None or state.status != WorkflowState.STATUS_APPROVED:
        return ""
    task_state = state.current_task_state
    return (task_state.comment or "") if task_state is not None else ""


def on_published(sender, instance, revision=None, **kwargs):
    from programs.services.registry import record_approval

    record_approval(instance.pk, comment=_approval_comment(instance))


def on_workflow_rejected(sender, instance, user=None, **kwargs):
    from programs.services.registry import record_rejection

    entry = instance.content_object
    if not isinstance(entry, Articulator):
        return
    task_state = instance.current_task_state
    reason = (task_state.comment or "") if task_state is not None else ""
    record_rejection(entry.pk, reason=reason)

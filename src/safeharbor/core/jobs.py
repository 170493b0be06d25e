"""Services that create and update ``Job`` rows. Progress writes are single-row updates
outside any caller transaction so a page polling the job sees them at once."""

from __future__ import annotations

from django.utils import timezone

from .models import Job


def job_create(*, kind: str, created_by_id: int | None = None, phase: str = "") -> Job:
    """Record a job that is about to be queued."""
    return Job.objects.create(kind=kind, created_by_id=created_by_id, phase=phase)


def job_start(*, job_id: int, phase: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), phase=phase, percent=0
    )


def job_progress(*, job_id: int, percent: int, phase: str | None = None) -> None:
    """Move the job's progress on; ``percent`` is clamped to 0..100."""
    fields: dict[str, object] = {"percent": max(0, min(100, int(percent)))}
    if phase is not None:
        fields["phase"] = phase
    Job.objects.filter(pk=job_id).update(**fields)


def job_finish(*, job_id: int, summary: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, percent=100, finished_at=timezone.now(), summary=summary
    )


def job_fail(*, job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, finished_at=timezone.now(), error=error[:2000]
    )

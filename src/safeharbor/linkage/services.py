"""Writes of the linkage area: starting and running a linkage over the database, and a
supervisor's decision on a possible duplicate. Each write checks permission and writes its
audit event in the same transaction."""

from __future__ import annotations

import contextlib
import json
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core import jobs
from safeharbor.core import permissions as engine
from safeharbor.core.permissions import SYSTEM

from . import pipeline
from .choices import PairStatus, RunStatus
from .clustering import cluster_with_decisions
from .models import ClusterMembership, DuplicatePair, LinkageModel, LinkageRun
from .records import known_links, linkage_input

__all__ = [
    "JOB_KIND",
    "REVIEW_FROM",
    "duplicate_pair_decide",
    "linkage_run_create",
    "linkage_run_execute",
    "linkage_run_start",
]

log = logging.getLogger(__name__)

JOB_KIND = "linkage"
# Pairs of one agency's records scored at or above this go to the agency's review queue.
REVIEW_FROM = 0.5
# Share of the progress bar each phase takes (the database work on either side included).
PHASES = [
    ("read", 0, 10),
    ("prepare", 10, 20),
    ("train", 20, 40),
    ("predict", 40, 70),
    ("cluster", 70, 85),
    ("save", 85, 100),
]
PHASE_LABELS = {
    "read": gettext_lazy("Reading person records"),
    "prepare": gettext_lazy("Preparing names, dates and phones"),
    "train": gettext_lazy("Training the model"),
    "predict": gettext_lazy("Comparing records"),
    "cluster": gettext_lazy("Grouping records of one person"),
    "save": gettext_lazy("Saving clusters and counts"),
}

Progress = Callable[[str, float], None]


def _actor(membership: Any) -> Any:
    return membership.user if membership is not None else SYSTEM


def linkage_run_create(
    *,
    membership: Any,
    agency: Any = None,
    retrain: bool = False,
    threshold: float = pipeline.DEFAULT_THRESHOLD,
) -> LinkageRun:
    """Record a run (and its job) about to start. ``membership`` None is the system (the
    command line or the demo), which names the ``agency`` the run belongs to."""
    if not 0 < threshold <= 1:
        raise ValidationError({"threshold": _("The threshold is a probability above 0, up to 1.")})
    if membership is not None:
        engine.require(membership, "add", LinkageRun(agency_id=membership.agency_id))
        agency_id = membership.agency_id
    elif agency is not None:
        agency_id = agency.pk
    else:
        raise PermissionDenied
    with transaction.atomic():
        job = jobs.job_create(
            kind=JOB_KIND,
            created_by_id=membership.user_id if membership is not None else None,
            phase=str(_("Waiting to start")),
        )
        run = LinkageRun.objects.create(
            agency_id=agency_id,
            started_by=membership.user if membership is not None else None,
            job=job,
            retrain=retrain,
            threshold=threshold,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=_actor(membership),
            agency_id=agency_id,
            obj=run,
            fields=["retrain", "threshold"],
        )
    return run


def linkage_run_start(
    *, membership: Any, retrain: bool = False, threshold: float = pipeline.DEFAULT_THRESHOLD
) -> LinkageRun:
    """Start a run as a background task; its job shows phase and percentage."""
    from .tasks import run_linkage

    run = linkage_run_create(membership=membership, retrain=retrain, threshold=threshold)
    transaction.on_commit(lambda: run_linkage.enqueue(run_id=run.pk))
    return run


def _progress_reporter(run: LinkageRun, forward_to: Progress | None) -> Progress:
    spans = {name: (start, end) for name, start, end in PHASES}
    last = {"percent": -1, "phase": ""}

    def report(phase: str, fraction: float) -> None:
        if forward_to is not None:
            forward_to(phase, fraction)
        if phase not in spans or run.job_id is None:
            return
        start, end = spans[phase]
        percent = int(start + (end - start) * max(0.0, min(1.0, fraction)))
        if percent == last["percent"] and phase == last["phase"]:
            return
        last.update(percent=percent, phase=phase)
        jobs.job_progress(job_id=run.job_id, percent=percent, phase=str(PHASE_LABELS[phase]))

    return report


def _decisions() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    pairs = DuplicatePair.objects.visible_to(SYSTEM).exclude(status=PairStatus.PENDING)
    confirmed: list[tuple[int, int]] = []
    rejected: list[tuple[int, int]] = []
    for a, b, status in pairs.values_list("person_a_id", "person_b_id", "status"):
        (confirmed if status == PairStatus.CONFIRMED else rejected).append((a, b))
    return confirmed, rejected


def _link(
    run: LinkageRun, rows: list[dict[str, Any]], report: Progress, engine: str
) -> tuple[pipeline.LinkageResult | None, LinkageModel | None, str]:
    """Run the pipeline with the saved model (or train one) on ``engine``; return the result,
    the model row used or trained, and its name."""
    if not rows:
        return None, None, ""
    # EM needs thousands of records: on fewer, retraining is skipped and the run says so.
    retrain = run.retrain and len(rows) >= pipeline.MIN_RECORDS_TO_TRAIN
    note = ""
    if run.retrain and not retrain:
        note = " " + _(
            "(not retrained: %(n)d records are too few to train on; at least %(min)d)"
        ) % {
            "n": len(rows),
            "min": pipeline.MIN_RECORDS_TO_TRAIN,
        }
    current = None if retrain else LinkageModel.objects.filter(is_current=True).first()
    with tempfile.TemporaryDirectory(prefix="safeharbor-linkage-model-") as tmp:
        model_path = Path(tmp) / "model.json"
        if current is not None:
            model_path.write_text(json.dumps(current.settings_json))
        options = pipeline.LinkageOptions(
            engine=engine,
            threshold=run.threshold,
            retrain=retrain,
            model_path=model_path if (current is not None or retrain) else None,
            keep_pairs_at=min(REVIEW_FROM, run.threshold),
        )
        result = pipeline.link_records(pipeline.records_to_table(rows), options, progress=report)
    if result.summary.model_trained:
        with transaction.atomic():
            LinkageModel.objects.filter(is_current=True).update(is_current=False)
            current = LinkageModel.objects.create(
                records=result.summary.records, settings_json=result.model_json, is_current=True
            )
        return (
            result,
            current,
            _("trained in this run on %(n)d records") % {"n": result.summary.records},
        )
    if current is not None:
        return result, current, str(current) + note
    return result, None, _("the bundled model (too few records to train on)") + note


def linkage_run_execute(
    *, run_id: int, progress: Progress | None = None, engine: str = "duckdb"
) -> LinkageRun:
    """Do a run: read the records (consent-aware), link them, apply known links and
    review decisions, store cluster membership, queue new possible duplicates and record
    counts and timings. Acts as the system actor. A failure marks the run and its job failed
    and is raised again. ``engine``: ``duckdb`` (in this process) or ``spark`` (Splink's
    Spark backend on a local Spark; ``pipeline.spark_unavailable`` says whether it can
    start), as in the file mode."""
    run = LinkageRun.objects.get(pk=run_id)
    report = _progress_reporter(run, progress)
    started_at = timezone.now()
    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=started_at)
    if run.job_id:
        jobs.job_start(job_id=run.job_id, phase=str(PHASE_LABELS["read"]))
    timings: dict[str, float] = {}
    try:
        clock = time.perf_counter()
        report("read", 0.0)
        data = linkage_input(at=started_at)
        must = known_links()
        confirmed, rejected = _decisions()
        timings["read"] = time.perf_counter() - clock
        report("read", 1.0)
        result, model, model_name = _link(run, data.rows, report, engine)
        if result is not None:
            timings.update(result.summary.timings)
        clock = time.perf_counter()
        report("save", 0.0)
        scored = []
        if result is not None and result.pairs is not None:
            for row in result.pairs.to_pylist():
                scored.append(
                    (int(row["record_id_l"]), int(row["record_id_r"]), row["match_probability"])
                )
        clusters = cluster_with_decisions(
            sorted(data.linkable),
            scored,
            threshold=run.threshold,
            must_link=[*must, *confirmed],
            cannot_link=rejected,
            min_support=pipeline.DEFAULT_MIN_SUPPORT,
        )
        with transaction.atomic():
            ClusterMembership.objects.bulk_create(
                [
                    ClusterMembership(run=run, person_id=pk, cluster=cluster, linked=True)
                    for pk, cluster in sorted(clusters.items())
                ]
                + [
                    ClusterMembership(run=run, person_id=pk, cluster=pk, linked=False)
                    for pk in sorted(data.excluded_no_consent)
                ],
                batch_size=2000,
            )
            new_pairs = _queue_pairs(run, scored, data.person_agency)
            counts = {
                "records": len(data.person_agency),
                "linked_records": len(data.linkable),
                "excluded_no_consent": len(data.excluded_no_consent),
                "people_among_linked": len(set(clusters.values())),
                "pairs_scored": result.summary.pairs_scored if result else 0,
                "pairs_linked": result.summary.pairs_linked if result else 0,
                "known_links": len(must),
                "confirmed_pairs": len(confirmed),
                "rejected_pairs": len(rejected),
                "new_review_pairs": new_pairs,
                "impossible_dob": result.summary.impossible_dob if result else 0,
            }
            timings["save"] = time.perf_counter() - clock
            LinkageRun.objects.filter(pk=run.pk).update(
                status=RunStatus.SUCCEEDED,
                finished_at=timezone.now(),
                model=model,
                model_name=model_name[:200],
                timings={k: round(v, 3) for k, v in timings.items()},
                counts=counts,
            )
            audit_record(
                action=AuditAction.UPDATE,
                actor=SYSTEM,
                agency_id=run.agency_id,
                obj=run,
                fields=["status", "counts", "timings", "model", "memberships"],
                reason="linkage_run_finished",
            )
        report("save", 1.0)
        run.refresh_from_db()
        if run.job_id:
            from .selectors import default_count_lines

            summary = " ".join(line for line in default_count_lines(suppress_small_cells=True))
            jobs.job_finish(job_id=run.job_id, summary=summary)
        return run
    except Exception as exc:
        log.exception("linkage run %s failed", run.pk)
        # No record values in the message: only the kind of failure is kept.
        message = f"{type(exc).__name__}: {str(exc)[:300]}"
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=message
        )
        if run.job_id:
            with contextlib.suppress(Exception):
                jobs.job_fail(
                    job_id=run.job_id, error=_("The linkage run failed: %(m)s") % {"m": message}
                )
        raise


def _queue_pairs(
    run: LinkageRun, scored: list[tuple[int, int, float]], person_agency: dict[int, int]
) -> int:
    """Put pairs of one agency's records scored at or above ``REVIEW_FROM`` in the review
    queue; a pair already there keeps its decision. Returns how many are new."""
    wanted: dict[tuple[int, int], float] = {}
    for a, b, probability in scored:
        if probability < REVIEW_FROM or person_agency.get(a) != person_agency.get(b):
            continue
        key = (min(a, b), max(a, b))
        wanted[key] = max(probability, wanted.get(key, 0.0))
    if not wanted:
        return 0
    existing = {
        (p.person_a_id, p.person_b_id): p
        for p in DuplicatePair.objects.filter(
            person_a_id__in={a for a, _b in wanted}, person_b_id__in={b for _a, b in wanted}
        )
    }
    new = []
    for (a, b), probability in sorted(wanted.items()):
        pair = existing.get((a, b))
        if pair is None:
            new.append(
                DuplicatePair(
                    agency_id=person_agency[a],
                    person_a_id=a,
                    person_b_id=b,
                    match_probability=min(1.0, max(0.0, probability)),
                    first_run=run,
                    last_run=run,
                )
            )
        else:
            pair.last_run = run
            pair.match_probability = min(1.0, max(0.0, probability))
            pair.save(update_fields=["last_run", "match_probability"])
    DuplicatePair.objects.bulk_create(new)
    for agency_id in sorted({p.agency_id for p in new}):
        audit_record(
            action=AuditAction.CREATE,
            actor=SYSTEM,
            agency_id=agency_id,
            object_type="linkage.duplicatepair",
            object_id=sum(1 for p in new if p.agency_id == agency_id),
            fields=["person_a", "person_b", "match_probability"],
            reason="linkage_review_queue",
        )
    return len(new)


def duplicate_pair_decide(
    *, membership: Any, pair: DuplicatePair, same_person: bool
) -> DuplicatePair:
    """A supervisor's decision: the two records are the same person (joined in every later
    run) or different people (kept apart in every later run). A decision can be changed."""
    with transaction.atomic():
        pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
        engine.require(membership, "review", pair)
        pair.status = PairStatus.CONFIRMED if same_person else PairStatus.REJECTED
        pair.decided_by = membership.user
        pair.decided_at = timezone.now()
        pair.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=membership.user,
            agency_id=pair.agency_id,
            obj=pair,
            fields=["status"],
            reason="linkage_review",
        )
    return pair

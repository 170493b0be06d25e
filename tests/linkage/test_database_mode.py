"""Linkage over the database: consent-aware input, intervals, known links, review decisions
that hold, the saved model, the background job and the command. Small synthetic data."""

from __future__ import annotations

import dataclasses
import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from safeharbor.audit.models import AuditEvent
from safeharbor.core.models import Job
from safeharbor.linkage import selectors, services
from safeharbor.linkage.choices import PairStatus, RunStatus
from safeharbor.linkage.clustering import cluster_with_decisions
from safeharbor.linkage.models import ClusterMembership, DuplicatePair, LinkageModel
from safeharbor.referrals.models import Referral
from safeharbor.survivors.choices import ConsentPurpose, DataCategory, SignerRole
from safeharbor.survivors.derive import new_reference
from safeharbor.survivors.services import SignerInput, consent_record, consent_revoke
from tests import factories

from .conftest import born

pytestmark = pytest.mark.django_db


def run_now(city, **kwargs):
    run = services.linkage_run_create(membership=None, agency=city, **kwargs)
    return services.linkage_run_execute(run_id=run.pk)


def clusters(run):
    return dict(ClusterMembership.objects.filter(run=run).values_list("person_id", "cluster"))


def linked_flags(run):
    return dict(ClusterMembership.objects.filter(run=run).values_list("person_id", "linked"))


def statistical_consent(person, agency, *, recipient, signed_days_ago=10, days=180):
    supervisor = factories.membership(factories.UserFactory(), agency, "supervisor")
    signed = timezone.localdate() - datetime.timedelta(days=signed_days_ago)
    return consent_record(
        membership=supervisor,
        person=person,
        recipient_agencies=[recipient],
        recipient_programs=[],
        categories=[DataCategory.STATISTICAL],
        purpose=ConsentPurpose.STATISTICS,
        signed_on=signed,
        expires_on=signed + datetime.timedelta(days=days),
        signers=[
            SignerInput(SignerRole.PERSON, "Synthetic Young Person"),
            SignerInput(SignerRole.PARENT, "Synthetic Parent", "mother"),
        ],
    ), supervisor


@pytest.fixture
def overlap(dhs, police, provider, city, record):
    """Maya is known to child welfare, the police and the provider (no consent); Josie to
    child welfare and the provider (with consent to statistical linkage); Kayla to child
    welfare only."""
    people = {
        "maya_dhs": record(dhs, "Maya", "Thornbury", born(16), phone="971-555-0101"),
        "maya_police": record(police, "Mya", "Thornberry", born(16), phone="971-555-0101"),
        "maya_provider": record(provider, "Maya", "Thornbury", born(16), phone="971-555-0101"),
        "josie_dhs": record(dhs, "Josie", "Wexford", born(15, 9, 3), phone="971-555-0102"),
        "josie_provider": record(provider, "Josephine", "Wexford", born(15, 9, 3)),
        "kayla_dhs": record(dhs, "Kayla", "Brennock", born(17, 1, 22)),
    }
    statistical_consent(people["josie_provider"], provider, recipient=city)
    return people


def test_vawa_records_without_statistical_consent_count_but_are_not_linked(overlap, city):
    run = run_now(city)
    flags, found = linked_flags(run), clusters(run)
    p = {k: v.pk for k, v in overlap.items()}
    assert flags[p["maya_provider"]] is False  # no consent: never handed to the linkage
    assert flags[p["josie_provider"]] is True  # consent covers statistical linkage
    assert found[p["maya_dhs"]] == found[p["maya_police"]]
    assert found[p["josie_dhs"]] == found[p["josie_provider"]]
    assert found[p["kayla_dhs"]] != found[p["maya_dhs"]]
    assert run.counts["excluded_no_consent"] == 1
    assert run.counts["records"] == 6
    # Six records: Maya (3), Josie (2), Kayla (1). Linked: 5 records, 3 people; Maya's
    # provider record still counts, unlinked.
    count = selectors.unique_count(selectors.CountFilter(), run=run)
    assert (count.lower, count.point, count.upper) == (3, 4, 4)
    assert (count.linked_records, count.unlinkable_records) == (5, 1)


def test_the_read_is_audited_as_the_system_with_ids_only(overlap, city, dhs, provider):
    run_now(city)
    reads = AuditEvent.objects.filter(reason="linkage_run", object_type="survivors.person")
    by_agency = {e.agency_id: e for e in reads}
    assert by_agency[dhs.pk].actor_kind == "system"
    assert by_agency[dhs.pk].object_id == "3"  # how many records, never which
    assert "given_name" in by_agency[dhs.pk].fields
    assert by_agency[provider.pk].object_id == "1"  # only the consented record was read


def test_revoked_or_expired_consent_takes_the_record_out_at_once(dhs, provider, city, record):
    dhs_record = record(dhs, "Josie", "Wexford", born(15, 9, 3), phone="971-555-0102")
    revoked = record(provider, "Josie", "Wexford", born(15, 9, 3), phone="971-555-0102")
    consent, supervisor = statistical_consent(revoked, provider, recipient=city)
    consent_revoke(membership=supervisor, consent=consent, note="Changed their mind.")
    expired = record(provider, "Josie", "Wexford", born(15, 9, 3))
    statistical_consent(expired, provider, recipient=city, signed_days_ago=40, days=30)
    run = run_now(city)
    flags = linked_flags(run)
    assert flags[dhs_record.pk] is True
    assert flags[revoked.pk] is False
    assert flags[expired.pk] is False


def test_a_consent_for_another_purpose_does_not_allow_linkage(dhs, provider, city, record):
    person = record(provider, "Kayla", "Brennock", born(17, 1, 22))
    supervisor = factories.membership(factories.UserFactory(), provider, "supervisor")
    consent_record(
        membership=supervisor,
        person=person,
        recipient_agencies=[dhs],
        recipient_programs=[],
        categories=[DataCategory.IDENTITY, DataCategory.STATISTICAL],
        purpose=ConsentPurpose.REFERRAL,
        signed_on=timezone.localdate(),
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        signers=[
            SignerInput(SignerRole.PERSON, "Synthetic Young Person"),
            SignerInput(SignerRole.PARENT, "Synthetic Parent", "mother"),
        ],
    )
    run = run_now(city)
    assert linked_flags(run)[person.pk] is False


def test_interval_bounds_and_filters(overlap, city, dhs, record):
    last_year = timezone.localdate().replace(month=6, day=1) - datetime.timedelta(days=365)
    earlier = record(dhs, "Rae", "Oakhurst", born(16, 2, 2), identified_on=last_year)
    record(dhs, "Adult", "Pinecrest", born(30, 3, 3))  # not a young person
    run = run_now(city)
    this_year = selectors.unique_count(
        selectors.CountFilter.year(timezone.localdate().year), run=run
    )
    assert (this_year.lower, this_year.upper) == (3, 4)
    everything = selectors.unique_count(selectors.CountFilter(), run=run)
    assert (everything.lower, everything.upper) == (4, 5)
    adults_too = selectors.unique_count(selectors.CountFilter(juveniles=False), run=run)
    assert adults_too.upper == 6
    only_dhs = selectors.unique_count(selectors.CountFilter(agency_ids=(dhs.pk,)), run=run)
    assert (only_dhs.point, only_dhs.lower, only_dhs.upper) == (4, 4, 4)
    # A record added after the run still counts, as one that could not be linked.
    record(dhs, "New", "Record", born(14))
    later = selectors.unique_count(selectors.CountFilter(agency_ids=(dhs.pk,)), run=run)
    assert (later.lower, later.upper) == (4, 5)  # the new record may be someone counted
    assert earlier.pk in clusters(run)


def test_count_label_and_small_cell_rule(overlap, city, dhs):
    run = run_now(city)
    year = timezone.localdate().year
    outside = selectors.count_result(
        selectors.CountFilter.year(year), viewer_agency_id=city.pk, run=run
    )
    assert outside.text == (
        f"Unique young people suspected or confirmed, {year}: fewer than 11 "
        "(between fewer than 11 and fewer than 11)"
    )
    inside = selectors.count_result(
        selectors.CountFilter(agency_ids=(dhs.pk,)), viewer_agency_id=dhs.pk, run=run
    )
    assert inside.text == (
        "Unique young people suspected or confirmed (Synthetic Child Welfare): 3"
    )


def test_an_accepted_referrals_two_records_are_joined_whatever_the_model_says(
    dhs, police, city, record
):
    sender = record(police, "Star", "", born(16), aliases=["Star"])
    receiver = record(dhs, "Imani", "Quarrydale", born(19, 11, 30))
    Referral.objects.create(
        agency=police,
        person=sender,
        person_reference=sender.reference,
        to_agency=dhs,
        reason="synthetic",
        legal_basis="synthetic basis",
        categories=["case"],
        sent_at=timezone.now(),
        state="accepted",
        accepted_at=timezone.now(),
        receiving_person=receiver,
    )
    run = run_now(city)
    found = clusters(run)
    assert found[sender.pk] == found[receiver.pk] == min(sender.pk, receiver.pk)
    assert run.counts["known_links"] == 1


def test_possible_duplicates_inside_an_agency_are_queued_and_decisions_hold(
    dhs, police, city, record
):
    first = record(dhs, "Kayla", "Brennock", born(17, 1, 22), phone="971-555-0103")
    second = record(dhs, "Kaila", "Brennock", born(17, 1, 22), phone="971-555-0103")
    elsewhere = record(police, "Kayla", "Brennock", born(17, 1, 22), phone="971-555-0103")
    run = run_now(city)
    pair = DuplicatePair.objects.get()
    assert (pair.person_a_id, pair.person_b_id) == (first.pk, second.pk)
    assert pair.agency_id == dhs.pk and pair.status == PairStatus.PENDING
    assert clusters(run)[first.pk] == clusters(run)[second.pk]
    supervisor = factories.membership(factories.UserFactory(), dhs, "supervisor")
    services.duplicate_pair_decide(membership=supervisor, pair=pair, same_person=False)
    again = run_now(city)
    found = clusters(again)
    assert found[first.pk] != found[second.pk]  # kept apart although the model links them
    # The police record joins one of them, never both.
    assert found[elsewhere.pk] in {found[first.pk], found[second.pk]}
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED and pair.last_run_id == again.pk
    assert DuplicatePair.objects.count() == 1
    assert again.counts["rejected_pairs"] == 1
    assert AuditEvent.objects.filter(
        object_type="linkage.duplicatepair", object_id=str(pair.pk), reason="linkage_review"
    ).exists()


def test_a_confirmed_pair_is_joined_in_later_runs(dhs, city, record):
    one = record(dhs, "Opal", "Glenrock", born(15))
    other = record(dhs, "Zoe", "Ironwood", born(13, 8, 8))
    DuplicatePair.objects.create(
        agency=dhs,
        person_a=one,
        person_b=other,
        match_probability=0.6,
        status=PairStatus.CONFIRMED,
    )
    run = run_now(city)
    assert clusters(run)[one.pk] == clusters(run)[other.pk]


def test_clustering_respects_decisions():
    pairs = [(1, 2, 0.99), (2, 3, 0.95), (1, 3, 0.9), (4, 5, 0.2)]
    plain = cluster_with_decisions(range(1, 6), pairs, threshold=0.7)
    assert plain == {1: 1, 2: 1, 3: 1, 4: 4, 5: 5}
    apart = cluster_with_decisions(range(1, 6), pairs, threshold=0.7, cannot_link=[(1, 3)])
    assert apart[1] != apart[3] and apart[2] == apart[1]
    forced = cluster_with_decisions(range(1, 6), pairs, threshold=0.7, must_link=[(4, 5)])
    assert forced[4] == forced[5] == 4


def test_a_single_link_does_not_chain_two_people_together():
    # 1-2 and 3-4 are each one person; one link 2-3 at 0.8 would chain all four.
    chain = [(1, 2, 0.99), (3, 4, 0.98), (2, 3, 0.8)]
    plain = cluster_with_decisions(range(1, 5), chain, threshold=0.7)
    assert len(set(plain.values())) == 1
    split = cluster_with_decisions(range(1, 5), chain, threshold=0.7, min_support=0.3)
    assert split == {1: 1, 2: 1, 3: 3, 4: 3}
    # The same link with the other cross pairs scoring well: one person.
    backed = [*chain, (1, 3, 0.6), (1, 4, 0.5), (2, 4, 0.4)]
    one = cluster_with_decisions(range(1, 5), backed, threshold=0.7, min_support=0.3)
    assert set(one.values()) == {1}
    # A supervisor's confirmation is never refused.
    forced = cluster_with_decisions(
        range(1, 5), chain, threshold=0.7, min_support=0.3, must_link=[(2, 3)]
    )
    assert set(forced.values()) == {1}


def test_the_saved_model_is_reused_until_retrained(overlap, city):
    first = run_now(city)
    assert first.model is None and "bundled" in first.model_name
    saved = LinkageModel.objects.create(records=100000, settings_json=_bundled(), is_current=True)
    second = run_now(city)
    assert second.model == saved
    assert clusters(second) == clusters(first)


def _bundled():
    import json

    from safeharbor.linkage import pipeline

    return json.loads(pipeline.BUNDLED_MODEL.read_text())


def test_a_run_as_a_background_job_reports_phase_and_percent(
    overlap, city, django_capture_on_commit_callbacks
):
    coordinator = factories.membership(factories.UserFactory(), city, "coordinator")
    seen = []
    original = services.jobs.job_progress

    def spy(*, job_id, percent, phase=None):
        seen.append((phase, percent))
        original(job_id=job_id, percent=percent, phase=phase)

    services.jobs.job_progress = spy
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = services.linkage_run_start(membership=coordinator)
    finally:
        services.jobs.job_progress = original
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert run.status == RunStatus.SUCCEEDED
    assert job.status == Job.Status.SUCCEEDED and job.percent == 100
    assert "Unique young people suspected or confirmed" in job.summary
    phases = [phase for phase, _ in seen]
    assert phases.index("Comparing records") < phases.index("Saving clusters and counts")
    percents = [percent for _, percent in seen]
    assert percents == sorted(percents)
    assert set(run.timings) >= {"read", "prepare", "predict", "cluster", "save"}


def test_a_failed_run_marks_the_run_and_job_failed(city, monkeypatch):
    run = services.linkage_run_create(membership=None, agency=city)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "linkage_input", broken)
    with pytest.raises(RuntimeError):
        services.linkage_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "disk full" in run.error
    assert Job.objects.get(pk=run.job_id).status == Job.Status.FAILED


def test_link_run_command_prints_progress_summary_and_counts(overlap, city):
    out, err = io.StringIO(), io.StringIO()
    call_command("link", "run", stdout=out, stderr=err)
    text = out.getvalue()
    year = timezone.localdate().year
    assert "6 records, 5 linked, 1 without consent to statistical linkage" in text
    assert "Unique young people suspected or confirmed: fewer than 11" in text
    assert f"Unique young people suspected or confirmed, {year}: fewer than 11" in text
    assert "Comparing records" in err.getvalue() and "100%" in err.getvalue()


def test_link_run_command_prints_the_figures_with_enough_people(dhs, police, city, record):
    for n in range(12):
        dob = born(13 + n % 5, 1 + n % 12, 1 + n)
        given, family = f"Synth{chr(65 + n)}", f"Family{chr(75 + n)}a"
        record(dhs, given, family, dob, phone=f"503-555-01{n:02d}")
        if n < 6:
            record(police, given, family, dob, phone=f"503-555-01{n:02d}")
    out = io.StringIO()
    call_command("link", "run", "--quiet", stdout=out, stderr=io.StringIO())
    year = timezone.localdate().year
    assert f"Unique young people suspected or confirmed, {year}: 12\n" in out.getvalue()


def test_unknown_agency_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No active agency"):
        call_command("link", "run", "--agency", "nowhere", stdout=io.StringIO())


def test_new_reference_is_not_a_name():
    assert new_reference().startswith("SH-")


def test_retrain_on_too_few_records_keeps_the_model_and_says_so(overlap, city):
    run = run_now(city, retrain=True)
    assert run.status == RunStatus.SUCCEEDED
    assert "not retrained: 5 records are too few to train on" in run.model_name
    assert not LinkageModel.objects.exists()


def test_a_model_trained_in_a_run_is_saved_and_reused_by_the_next(overlap, city, monkeypatch):
    from safeharbor.linkage import pipeline

    real = pipeline.link_records
    calls = []

    def training(raw, options, *, progress=None):
        calls.append(options)
        if not options.retrain:
            return real(raw, options, progress=progress)
        # Stand in for training on thousands of records: score with the bundled model and
        # report it as trained here.
        scoring = dataclasses.replace(options, retrain=False, model_path=pipeline.BUNDLED_MODEL)
        result = real(raw, scoring)
        result.summary.model_trained = True
        return result

    monkeypatch.setattr(pipeline, "MIN_RECORDS_TO_TRAIN", 3)
    monkeypatch.setattr(pipeline, "link_records", training)
    trained = run_now(city, retrain=True)
    saved = LinkageModel.objects.get()
    assert trained.model == saved and saved.is_current and saved.records == 5
    assert "trained in this run on 5 records" in trained.model_name
    reused = run_now(city)
    assert reused.model == saved and not calls[-1].retrain
    assert calls[-1].model_path is not None  # the saved parameters were handed to Splink
    retrained = run_now(city, retrain=True)
    assert LinkageModel.objects.filter(is_current=True).get() == retrained.model != saved

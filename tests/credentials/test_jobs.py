"""The job lifecycle: the verbs on every job, and the one sweeper over the job registry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from config.settings import CELERY_BEAT_SCHEDULE
from credentials import jobs
from credentials.models import ImportJob, JobStatus
from sharing.models import RENDER_TIME_LIMIT, Transcript
from tests.sharing.conftest import make_link
from tests.wallet.support import imported
from wallet.models import ExportJob

pytestmark = pytest.mark.django_db


def test_start_counts_an_attempt_and_marks_the_job_running(learner):
    job = ImportJob.objects.create(owner=learner, url="https://example.org/x")
    job.start()
    job.start()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert job.attempts == 2
    assert job.started_at is not None


def test_finish_and_fail_end_the_job_and_say_when(learner):
    done = ImportJob.objects.create(owner=learner, url="https://example.org/a")
    done.start()
    assert done.finish()
    failed = ImportJob.objects.create(owner=learner, url="https://example.org/b")
    failed.start()
    assert failed.fail("The address answered HTTP 404." + "!" * 600)
    done.refresh_from_db()
    failed.refresh_from_db()
    assert (done.status, done.error, done.is_done) == (JobStatus.READY, "", True)
    assert failed.status == JobStatus.FAILED
    assert failed.error.startswith("The address answered HTTP 404.")
    assert len(failed.error) == 500
    assert done.finished_at and failed.finished_at


def test_finish_says_when_the_row_is_gone(learner):
    job = ExportJob.objects.create(owner=learner)
    ExportJob.objects.filter(pk=job.pk).delete()
    assert not job.finish(progress=100)


def test_retry_puts_the_job_back_to_pending_and_fresh_forgets_its_attempts(learner):
    job = ImportJob.objects.create(owner=learner, url="https://example.org/x")
    job.start()
    job.fail("Offline.")
    job.retry()
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts, job.finished_at) == (
        JobStatus.PENDING,
        "",
        1,
        None,
    )
    job.retry(fresh=True)
    job.refresh_from_db()
    assert job.attempts == 0


def test_a_job_is_stale_once_left_pending_or_running_too_long(learner):
    job = ImportJob.objects.create(owner=learner, url="https://example.org/x")
    assert not job.is_stale()
    assert job.is_stale(now=timezone.now() + timedelta(minutes=11))
    job.finish()
    assert not job.is_stale(now=timezone.now() + timedelta(days=1))


def test_a_transcript_is_stale_by_its_own_rule(learner):
    link = make_link(learner, [imported(learner)], allow_transcript=True)
    transcript = Transcript.objects.create(link=link)
    later = timezone.now() + timedelta(hours=1)
    # Nothing asked for yet: never stale, never queued.
    assert not transcript.is_stale(now=later)
    assert transcript not in Transcript.stale_jobs(now=later)
    transcript.content_digest = "d" * 64
    transcript.save()
    assert transcript.is_stale(now=later)
    transcript.start()
    # Running: stale once past the render task's hard limit, whatever `older_than` says.
    soon = timezone.now() + timedelta(seconds=RENDER_TIME_LIMIT // 2)
    assert not transcript.is_stale(now=soon, older_than=timedelta(0))
    past = timezone.now() + timedelta(seconds=RENDER_TIME_LIMIT + 1)
    assert transcript.is_stale(now=past)
    assert list(Transcript.stale_jobs(now=past)) == [transcript]


def test_every_job_model_is_registered_with_its_task():
    from sharing.tasks import render_transcript
    from wallet.tasks import build_export_task, import_from_url

    assert set(jobs.job_models()) == {ImportJob, ExportJob, Transcript}
    assert jobs.task_for(ImportJob()) is import_from_url
    assert jobs.task_for(ExportJob()) is build_export_task
    assert jobs.task_for(Transcript()) is render_transcript


class Recorder:
    def __init__(self) -> None:
        self.queued: list[int] = []

    def delay(self, pk: int) -> None:
        self.queued.append(pk)


def test_the_one_sweeper_requeues_a_stale_job_of_each_kind_exactly_once(learner, monkeypatch):
    recorders = {model: Recorder() for model in (ImportJob, ExportJob, Transcript)}
    for model, recorder in recorders.items():
        monkeypatch.setitem(jobs._TASKS, model, recorder)
    link = make_link(learner, [imported(learner)], allow_transcript=True)
    stale = [
        ImportJob.objects.create(owner=learner, url="https://example.org/x"),
        ExportJob.objects.create(owner=learner),
        Transcript.objects.create(link=link, content_digest="d" * 64),
    ]
    fresh = ImportJob.objects.create(owner=learner, url="https://example.org/fresh")
    hour_ago = timezone.now() - timedelta(hours=1)
    for job in stale:
        type(job).objects.filter(pk=job.pk).update(updated_at=hour_ago)

    assert jobs.requeue_stale_jobs() == 3
    assert jobs.requeue_stale_jobs() == 0
    for job in stale:
        assert recorders[type(job)].queued == [job.pk]
        job.refresh_from_db()
        assert job.status == JobStatus.PENDING
    assert fresh.pk not in recorders[ImportJob].queued


def test_the_sweeper_gives_up_on_a_job_that_used_its_attempts(learner, monkeypatch):
    recorder = Recorder()
    monkeypatch.setitem(jobs._TASKS, ExportJob, recorder)
    job = ExportJob.objects.create(owner=learner, attempts=ExportJob.max_attempts)
    assert jobs.requeue_stale_jobs(older_than=timedelta(0)) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "did not finish" in job.error
    assert recorder.queued == []


@pytest.mark.parametrize(
    "name",
    [
        "credentials.tasks.import_from_url",
        "wallet.tasks.import_from_url",
        "credentials.tasks.sweep_stale_jobs",
        "sharing.tasks.sweep_stale_transcripts",
        "sharing.tasks.render_transcript",
        "wallet.tasks.build_export_task",
    ],
)
def test_old_and_new_task_names_resolve(name):
    celery_app.loader.import_default_modules()
    assert name in celery_app.tasks


def test_every_scheduled_task_is_registered():
    celery_app.loader.import_default_modules()
    for entry in CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks


def test_a_message_queued_under_the_old_import_task_name_still_runs_the_import(
    learner, local_server
):
    import json

    from tests.wallet.support import signed_document

    local_server.add("/badge.json", json.dumps(signed_document(learner.email)).encode())
    job = ImportJob.objects.create(owner=learner, url=local_server.url("/badge.json"))
    celery_app.loader.import_default_modules()
    celery_app.tasks["credentials.tasks.import_from_url"].delay(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.READY
    assert job.credentials.count() == 1


def test_the_old_transcript_sweeper_name_runs_the_one_sweeper(learner, monkeypatch):
    recorder = Recorder()
    monkeypatch.setitem(jobs._TASKS, ImportJob, recorder)
    job = ImportJob.objects.create(owner=learner, url="https://example.org/x")
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    celery_app.loader.import_default_modules()
    assert celery_app.tasks["sharing.tasks.sweep_stale_transcripts"].delay().get() == 1
    assert recorder.queued == [job.pk]

"""The admin index's counts: each app adds its own, the admin only shows them."""

from credentials import glance
from credentials.models import JobStatus
from tests.conftest import make_learner
from wallet.models import ExportJob


def test_every_app_adds_its_counts_in_the_order_the_admin_reads_them(db):
    labels = [row.label for row in glance.collect()]
    assert labels[:2] == ["Active learners", "Active share links"]
    assert labels[-3:] == ["Failed import jobs", "Failed exports", "Failed transcripts"]


def test_the_counts_are_read_when_the_page_is(db):
    learner = make_learner("ada@example.org")
    ExportJob.objects.create(owner=learner, status=JobStatus.FAILED)
    rows = {row.label: row.count for row in glance.collect()}
    assert rows["Active learners"] == 1
    assert rows[f"Failed {ExportJob._meta.verbose_name_plural}"] == 1

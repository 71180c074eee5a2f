"""Skills: built from alignments, merged by framework + code (else by name), added by hand."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from credentials.models import Credential
from tests.wallet.support import (
    alignment,
    bulk_credentials,
    client_for,
    imported,
    signed_document,
)
from wallet import curation_services
from wallet.models import Skill, SkillSource

pytestmark = pytest.mark.django_db
LIST = reverse("wallet:skill_list")


def test_alignments_become_skills_merged_by_framework_and_code(learner):
    imported(learner, name="One", alignments=[alignment("Soudage", framework="CNP", code="7237")])
    imported(learner, name="Two", alignments=[alignment("Welding", framework="cnp", code="7237")])
    skill = Skill.objects.get()
    assert skill.source == SkillSource.ALIGNMENT
    assert sorted(skill.credentials.values_list("name", flat=True)) == ["One", "Two"]


def test_without_a_code_skills_merge_by_normalised_name(learner):
    imported(learner, name="One", alignments=[alignment("Communication  Orale")])
    imported(learner, name="Two", alignments=[alignment("communication orale")])
    imported(learner, name="Three", alignments=[alignment("Communication", code="C9")])
    assert Skill.objects.count() == 2


def test_skills_are_the_learners_own(learner, other_learner):
    imported(learner, alignments=[alignment("Soudage", framework="F", code="1")])
    imported(other_learner, alignments=[alignment("Soudage", framework="F", code="1")])
    assert Skill.objects.count() == 2


def test_hostile_alignments_are_skipped_or_trimmed(learner):
    credential = bulk_credentials(learner, 1)[0]
    credential.normalized = {
        "alignments": [
            "not a dict",
            {"name": "", "code": ""},
            {"name": "x" * 5000, "url": "javascript:alert(1)"},
        ]
    }
    credential.save()
    skills = curation_services.sync_skills_from_alignments(credential=credential)
    assert len(skills) == 1
    assert len(skills[0].name) == 300
    assert skills[0].url == ""


def skill_rows(page: str) -> dict[str, list[str]]:
    """The skills table as a reader hears it: each row's cells, by skill name."""
    assert page.count('<th scope="col">') == 4
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        assert '<th scope="row">' in row
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


def backed_skill(learner, name: str, *, framework: str = "", code: str = "", verdicts=()):
    skill = Skill.objects.create(
        owner=learner, key=f"{framework}:{code}:{name}", name=name, framework=framework, code=code
    )
    credentials = bulk_credentials(learner, len(verdicts), prefix=name)
    for credential, verdict in zip(credentials, verdicts, strict=True):
        credential.verdict = verdict
    Credential.objects.bulk_update(credentials, ["verdict"])
    skill.credentials.set(credentials)
    return skill


def test_the_skills_page_counts_each_skills_credentials_by_verdict(learner):
    verdicts = ["verified", "revoked", "verified", "self_reported", "verified_with_warnings"]
    welding = backed_skill(learner, "Soudage", framework="CNP", code="7237", verdicts=verdicts)
    page = client_for(learner).get(LIST).text
    assert '<caption class="visually-hidden">Your skills</caption>' in page
    framework, count, verification = skill_rows(page)["Soudage"]
    assert framework == "CNP 7237"
    assert count == "5 : Find credentials with “Soudage”"
    assert verification == ("✓ 2 verified ! 1 verified with warnings ✎ 1 self-reported ✗ 1 revoked")
    assert f'<a href="{welding.get_absolute_url()}">Soudage</a>' in page
    assert f'href="{reverse("wallet:dashboard")}?skill={welding.uuid}"' in page
    assert '<li class="verdict verdict-revoked">' in page


def test_a_skill_without_a_framework_or_credentials_reads_naturally(learner):
    backed_skill(learner, "Écoute", verdicts=["failed"])
    curation_services.add_skill(owner=learner, name="Entretien")
    page = client_for(learner).get(LIST).text
    rows = skill_rows(page)
    assert rows["Écoute"] == [
        "No framework",
        "1 : Find credentials with “Écoute”",
        "✗ 1 failed",
    ]
    assert rows["Entretien"] == ["No framework", "No credential backs this skill yet."]
    assert "None" not in page and "—" not in page[page.index("<tbody>") : page.index("</tbody>")]


def test_the_skills_page_speaks_french_too(learner):
    backed_skill(learner, "Soudage", verdicts=["verified", "verified", "expired"])
    client = client_for(learner)
    page = client.get(LIST, headers={"accept-language": "fr-CA"}).text
    _framework, count, verification = skill_rows(page)["Soudage"]
    assert verification == "✓ 2 vérifiés ✗ 1 expiré"
    assert count.startswith("3 : ")


def test_it_needs_a_login_and_is_owner_scoped(learner, other_learner, employer):
    imported(learner)
    skill = Skill.objects.get()
    detail = reverse("wallet:skill_detail", args=[skill.uuid])
    delete = reverse("wallet:skill_delete", args=[skill.uuid])
    for url in [LIST, detail]:
        assert reverse("account_login") in employer.get(url).url
    client = client_for(other_learner)
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"credentials": []}).status_code == 404
    assert client.post(delete).status_code == 404
    assert "Collaboration" not in client.get(LIST).text


def test_a_learner_adds_a_skill_then_chooses_its_evidence(learner):
    credential = imported(learner, name="Stage", alignments=[])
    client = client_for(learner)
    response = client.post(
        LIST, {"name": "Entretien de véhicules", "framework": "", "code": "", "url": ""}
    )
    skill = Skill.objects.get()
    assert response.url == skill.get_absolute_url()
    assert skill.source == SkillSource.LEARNER
    page = client.get(response.url).text
    assert "Now choose the credentials that show it." in page
    assert f'value="{credential.uuid}"' in page
    client.post(response.url, {"credentials": [credential.uuid]})
    assert list(skill.credentials.all()) == [credential]
    found = client.get(reverse("wallet:dashboard"), {"q": "vehicules"})
    assert [c.name for c in found.context["page"].object_list] == ["Stage"]


def test_adding_a_skill_that_exists_leads_to_it_with_its_evidence(learner):
    first = imported(learner, name="First")
    response = client_for(learner).post(
        LIST, {"name": "Teamwork", "framework": "Example Skills", "code": "c1"}
    )
    skill = Skill.objects.get()
    assert response.url == skill.get_absolute_url()
    assert list(skill.credentials.all()) == [first]


def test_bad_skill_input_is_refused(learner, other_learner):
    theirs = imported(other_learner)
    client = client_for(learner)
    for data in [{"name": ""}, {"name": "x", "url": "not a url"}]:
        assert client.post(LIST, data).status_code == 400, data
    assert not Skill.objects.filter(owner=learner).exists()
    mine = imported(learner, name="Mine")
    skill = Skill.objects.get(owner=learner)
    detail = reverse("wallet:skill_detail", args=[skill.uuid])
    assert client.post(detail, {"credentials": [theirs.uuid]}).status_code == 400
    assert list(skill.credentials.all()) == [mine]


def test_the_skills_page_costs_the_same_queries_however_many_skills_and_credentials(
    learner, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(learner)
    backed_skill(learner, "Skill 00", verdicts=["verified"])
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        page = client.get(LIST).text
    # Read now: the next request clears the connection's query log.
    few_count = len(few)
    assert list(skill_rows(page)) == ["Skill 00"]
    mixed = ["verified", "expired", "revoked", "failed", "unverifiable", "self_reported"]
    for index in range(1, 15):
        backed_skill(learner, f"Skill {index:02}", framework="F", verdicts=mixed * index)
    client.get(LIST)
    with django_assert_num_queries(few_count):
        page = client.get(LIST).text
    rows = skill_rows(page)
    assert len(rows) == 15
    assert rows["Skill 14"][2] == (
        "✓ 14 verified ✎ 14 self-reported ? 14 unverifiable ✗ 14 expired ✗ 14 revoked ✗ 14 failed"
    )


def test_evidence_can_be_chosen_but_aligned_credentials_stay(learner):
    aligned = imported(learner, name="Aligned")
    extra = imported(learner, name="Extra", alignments=[])
    skill = Skill.objects.get()
    url = reverse("wallet:skill_detail", args=[skill.uuid])
    client = client_for(learner)
    client.post(url, {"credentials": [extra.uuid]})
    assert sorted(skill.credentials.values_list("name", flat=True)) == ["Aligned", "Extra"]
    client.post(url, {"credentials": []})
    assert list(skill.credentials.all()) == [aligned]


def test_only_skills_without_aligned_credentials_can_be_removed(learner):
    imported(learner)
    aligned = Skill.objects.get()
    client = client_for(learner)
    client.post(reverse("wallet:skill_delete", args=[aligned.uuid]))
    assert Skill.objects.filter(pk=aligned.pk).exists()
    mine = curation_services.add_skill(owner=learner, name="Mine")
    client.post(reverse("wallet:skill_delete", args=[mine.uuid]))
    assert not Skill.objects.filter(pk=mine.pk).exists()


def test_importing_through_the_import_page_builds_skills_and_search_text(learner):
    document = signed_document(learner.email, alignments=[alignment("Électricité", code="E1")])
    client = client_for(learner)
    client.post(
        reverse("wallet:credential_import"),
        {"source": "paste", "paste-text": json.dumps(document)},
    )
    assert list(Skill.objects.values_list("name", flat=True)) == ["Électricité"]
    found = client.get(reverse("wallet:dashboard"), {"q": "electricite"})
    assert [c.name for c in found.context["page"].object_list] == ["Teamwork"]


def test_the_service_refuses_a_skill_address_that_is_not_the_web(learner):
    with pytest.raises(ValidationError, match="https://"):
        curation_services.add_skill(owner=learner, name="X", url="javascript:alert(1)")


def test_many_skills_come_a_page_at_a_time(learner):
    for index in range(30):
        Skill.objects.create(owner=learner, key=f"s{index:02}", name=f"Skill {index:02}")
    client = client_for(learner)
    first = client.get(LIST).text
    assert len(skill_rows(first)) == 20
    assert "Page 1 of 2" in first and ">Skill 00</a>" in first and ">Skill 20</a>" not in first
    second = client.get(LIST, {"page": 2}).text
    assert len(skill_rows(second)) == 10 and ">Skill 29</a>" in second
    assert client.get(LIST, {"page": "x' OR 1=1"}).status_code == 200

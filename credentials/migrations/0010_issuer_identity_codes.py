"""Stored issuer checks get the identity-level codes the verifier now writes.

Before, a passed issuer check was `ok` (the registry listed the issuer or its key) and an
issuer the registry did not list was `issuer_unknown`. They become `issuer_registered` and
`issuer_self_asserted`, with `identity_level` in their details, so that pages, the API
and the JSON download read the same words for old rows as for new ones until the nightly
re-verification writes the full finding. `key_not_linked` keeps its code and gets its
level (self-asserted). Backwards, the old codes come back.
"""

from django.db import migrations

BATCH = 500
FORWARD = {
    ("passed", "ok"): ("issuer_registered", "registered"),
    ("warning", "issuer_unknown"): ("issuer_self_asserted", "self_asserted"),
    ("warning", "key_not_linked"): ("key_not_linked", "self_asserted"),
}
BACKWARD = {
    "issuer_registered": "ok",
    "issuer_self_asserted": "issuer_unknown",
}


def _recode(check):
    found = FORWARD.get((check.get("status"), check.get("code")))
    if found is None:
        return check
    code, level = found
    details = check.get("details") if isinstance(check.get("details"), dict) else {}
    return {**check, "code": code, "details": {"identity_level": level, **details}}


def _uncode(check):
    code = BACKWARD.get(check.get("code"))
    return {**check, "code": code} if code else check


def _rewrite(apps, change):
    Credential = apps.get_model("credentials", "Credential")
    pending = []
    for credential in Credential.objects.only("pk", "checks").iterator(chunk_size=BATCH):
        if not isinstance(credential.checks, list):
            continue
        checks = [
            change(check) if isinstance(check, dict) and check.get("name") == "issuer" else check
            for check in credential.checks
        ]
        if checks != credential.checks:
            credential.checks = checks
            pending.append(credential)
        if len(pending) >= BATCH:
            Credential.objects.bulk_update(pending, ["checks"])
            pending = []
    if pending:
        Credential.objects.bulk_update(pending, ["checks"])


def forwards(apps, schema_editor):
    _rewrite(apps, _recode)


def backwards(apps, schema_editor):
    _rewrite(apps, _uncode)


class Migration(migrations.Migration):
    dependencies = [("credentials", "0009_issuer_registries")]

    operations = [migrations.RunPython(forwards, backwards)]

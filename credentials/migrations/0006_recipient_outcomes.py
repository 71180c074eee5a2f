"""The recipient check's four outcomes: stored checks get their new codes, and the
recipient check's code is copied to `recipient_code` so that sharing can filter on it.

Before, "names no one" and "names someone else" were both `recipient_mismatch`
and a match on a verified email was `ok`; the stored message tells the first two apart.
"""

from django.conf import settings
from django.db import migrations, models

NOT_STATED_MESSAGES = {
    "The credential does not say who it was issued to.",
    "Le titre n’indique pas à qui il a été délivré.",
}
MISMATCH = "recipient_mismatch"
NOT_STATED = "recipient_not_stated"
CONFIRMED = "recipient_confirmed"
BATCH = 500


def _is_not_stated(check):
    source = check.get("message_source")
    msgid = source.get("msgid") if isinstance(source, dict) else None
    return msgid in NOT_STATED_MESSAGES or check.get("message") in NOT_STATED_MESSAGES


def _recode(check):
    """The recipient check with its new code (unchanged when it has no new one)."""
    if check.get("code") == MISMATCH and _is_not_stated(check):
        return {**check, "code": NOT_STATED}
    if check.get("status") == "passed" and check.get("code") == "ok":
        return {**check, "code": CONFIRMED}
    return check


def _uncode(check):
    if check.get("code") == NOT_STATED:
        return {**check, "code": MISMATCH}
    if check.get("code") == CONFIRMED:
        return {**check, "code": "ok"}
    return check


def _rewrite(apps, change, *, copy_code):
    Credential = apps.get_model("credentials", "Credential")
    pending = []
    fields = ["checks", "recipient_code"] if copy_code else ["checks"]
    for credential in Credential.objects.only("pk", "checks").iterator(chunk_size=BATCH):
        if not isinstance(credential.checks, list):
            continue
        checks = [
            change(check) if isinstance(check, dict) and check.get("name") == "recipient" else check
            for check in credential.checks
        ]
        code = next(
            (
                str(check.get("code") or "")
                for check in checks
                if isinstance(check, dict) and check.get("name") == "recipient"
            ),
            "",
        )
        credential.checks = checks
        credential.recipient_code = code
        pending.append(credential)
        if len(pending) >= BATCH:
            Credential.objects.bulk_update(pending, fields)
            pending = []
    if pending:
        Credential.objects.bulk_update(pending, fields)


def forwards(apps, schema_editor):
    _rewrite(apps, _recode, copy_code=True)


def backwards(apps, schema_editor):
    _rewrite(apps, _uncode, copy_code=False)


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0005_source_label"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="credential",
            name="recipient_code",
            field=models.CharField(blank=True, max_length=32, verbose_name="recipient check"),
        ),
        migrations.AddIndex(
            model_name="credential",
            index=models.Index(
                fields=["owner", "recipient_code"], name="credentials_owner_i_df18a9_idx"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]

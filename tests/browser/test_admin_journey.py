"""Admin journey: log in with a TOTP code, find a learner, re-verify a credential,
revoke a share link and read the audit trail — all in admin, with axe on every page."""

import json

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import translation

from credentials.audit import AuditAction
from credentials.models import AuditEvent, CredentialSource
from credentials.services import import_credential
from sharing.audit import ShareLinkAction
from sharing.models import ShareLink
from sharing.services.links import Selection, create_share_link
from tests.browser.support import fresh_code
from tests.conftest import PASSWORD, make_learner
from tests.credentials.support.issuer import did_key_issuer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_an_admin_supports_a_learner_from_admin(browse, transactional_db, settings, locale):
    settings.ADMIN_REQUIRES_MFA = True
    with translation.override(locale.lower()):
        at_a_glance = translation.gettext("Service at a glance")
        reverified = translation.ngettext(
            "%(count)d credential verified again.", "%(count)d credentials verified again.", 1
        ) % {"count": 1}
        reverified_event = str(AuditAction.CREDENTIAL_REVERIFIED.label)
        revoked_event = str(ShareLinkAction.SHARE_LINK_REVOKED.label)
    learner = make_learner("support-me@example.org")
    data = json.dumps(
        did_key_issuer().signed(name="Forklift Safety", subject_id="mailto:support-me@example.org")
    ).encode()
    credential = import_credential(
        learner=learner, data=data, source=CredentialSource.UPLOAD
    ).created[0]
    link = create_share_link(
        owner=learner,
        title="For the warehouse job",
        selection=Selection.of(credentials=[credential]),
        expires_at=None,
    )
    staff = make_learner("ops@example.org", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    totp = pyotp.TOTP(secret)

    tab = browse(locale=locale)
    page = tab.page
    page.goto("/admin/")
    tab.audit()
    page.fill("#id_login", staff.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert "/2fa/authenticate/" in page.url
    tab.audit()
    page.fill("#id_code", fresh_code(totp)[0])
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/admin/")
    assert at_a_glance in page.inner_text("body")
    tab.audit()

    # Find the learner by email and see their credentials.
    page.goto("/admin/wallet/user/?q=support-me")
    tab.audit()
    page.click("text=support-me@example.org")
    page.wait_for_load_state("load")
    assert "Forklift Safety" in page.inner_text("body")
    tab.audit()

    # Re-verify the credential.
    page.goto("/admin/credentials/credential/")
    tab.audit()
    page.check(f"input[name=_selected_action][value='{credential.pk}']")
    page.select_option("select[name=action]", "reverify")
    page.click("button[name=index]")
    page.wait_for_load_state("load")
    assert reverified in page.inner_text("body")
    tab.audit()

    # Revoke the share link.
    page.goto("/admin/sharing/sharelink/")
    tab.audit()
    page.check(f"input[name=_selected_action][value='{link.pk}']")
    page.select_option("select[name=action]", "revoke_links")
    page.click("button[name=index]")
    page.wait_for_load_state("load")
    tab.audit()
    link.refresh_from_db()
    assert link.is_revoked

    # Read the audit trail.
    page.goto("/admin/credentials/auditevent/")
    tab.audit()
    body = page.inner_text("body")
    assert reverified_event in body
    assert revoked_event in body
    assert AuditEvent.objects.filter(
        action=ShareLinkAction.SHARE_LINK_REVOKED, actor=staff
    ).exists()
    assert ShareLink.objects.active().count() == 0

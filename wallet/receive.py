"""Receiving credentials from an issuer: an OID4VCI offer or a VC-API exchange, as a job.

The learner (or an API client) hands over an offer; the job row is the URL import's
(`ImportJob`, polled the same way), its address only the issuer's public identifier. The
offer itself and the transaction code are bearer secrets: they sit encrypted in the job's
`OfferImport` while it runs and are erased when it ends, and never reach a log or the audit
trail. What the issuer returns goes through the one import service.
"""

import hmac
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from credentials import encryption
from credentials.jobs import queue_job
from credentials.models import CredentialSource, ImportJob
from wallet import oid4vci, vcapi
from wallet.imports import import_credentials_for
from wallet.models import OfferImport, OfferImportProtocol, User
from wallet.oid4vci import ReceiveError

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# How often the deferred endpoint is asked before the job gives up.
MAX_DEFERRED_POLLS = 30
MAX_OFFER_CHARS = 16 * 1024
MAX_TX_CODE_CHARS = 100


@dataclass(frozen=True)
class OfferSummary:
    """What the learner is shown before approving: who offers what, in plain words."""

    protocol: str
    issuer_name: str
    issuer_address: str
    credential_names: list[str] = field(default_factory=list)
    needs_tx_code: bool = False
    tx_code_description: str = ""
    tx_code_length: int | None = None
    tx_code_is_numeric: bool = False
    needs_sign_in: bool = False


def _protocol_of(offer: str) -> str:
    return OfferImportProtocol.OID4VCI if oid4vci.is_offer(offer) else OfferImportProtocol.VCAPI


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def summarize_offer(*, offer: str, language: str) -> OfferSummary:
    """Read an offer or exchange link (and the issuer's metadata) to show the learner."""
    offer = _checked_offer(offer)
    try:
        if _protocol_of(offer) == OfferImportProtocol.VCAPI:
            link = vcapi.read_link(offer)
            return OfferSummary(
                protocol=OfferImportProtocol.VCAPI,
                issuer_name=urlsplit(link.url).hostname or "",
                issuer_address=_origin(link.url),
            )
        parsed = oid4vci.read_offer(offer)
        metadata = oid4vci.issuer_metadata(parsed)
    except ReceiveError as error:
        raise ValidationError(error.reason, code="offer") from error
    names = [
        oid4vci.localized_name(
            oid4vci.configuration_display(metadata.configurations.get(item, {})), language
        )
        or item
        for item in parsed.configuration_ids
    ]
    tx_code = parsed.tx_code or {}
    length = tx_code.get("length")
    description = tx_code.get("description")
    return OfferSummary(
        protocol=OfferImportProtocol.OID4VCI,
        issuer_name=oid4vci.localized_name(metadata.display, language)
        or urlsplit(parsed.issuer).hostname
        or "",
        issuer_address=parsed.issuer,
        credential_names=[name[:200] for name in names],
        needs_tx_code=parsed.needs_tx_code,
        tx_code_description=description[:300] if isinstance(description, str) else "",
        tx_code_length=length if isinstance(length, int) and 0 < length <= 64 else None,
        tx_code_is_numeric=tx_code.get("input_mode", "numeric") == "numeric",
        needs_sign_in=parsed.needs_sign_in,
    )


def _checked_offer(offer: str) -> str:
    offer = (offer or "").strip()
    if not offer:
        raise ValidationError(
            _("Paste the offer or exchange link the issuer gave you."), code="offer"
        )
    if len(offer) > MAX_OFFER_CHARS:
        raise ValidationError(_("The offer is too long."), code="offer")
    try:
        urlsplit(offer)
    except ValueError as error:
        # Every reader of the offer splits it as a URL: one that cannot be is refused here.
        raise ValidationError(
            _("This is not an offer or exchange link the wallet can read."), code="offer"
        ) from error
    return offer


def request_offer_import(*, learner: User, offer: str, tx_code: str = "") -> ImportJob:
    """Queue receiving what an offer or exchange link gives; the job row shows its progress."""
    offer = _checked_offer(offer)
    tx_code = (tx_code or "").strip()
    if len(tx_code) > MAX_TX_CODE_CHARS:
        raise ValidationError(_("The transaction code is too long."), code="tx_code")
    protocol = _protocol_of(offer)
    try:
        if protocol == OfferImportProtocol.VCAPI:
            address = _origin(vcapi.read_link(offer).url)
        elif _is_offer_by_reference(offer):
            # The offer is fetched by the job; until then only its host is known.
            address = _origin(_offer_uri(offer))
        else:
            parsed = oid4vci.read_offer(offer)
            if parsed.needs_sign_in:
                raise ReceiveError(
                    _(
                        "This issuer asks you to sign in on its site: open the offer on the "
                        "wallet's “Receive from an issuer” page."
                    )
                )
            if parsed.needs_tx_code and not tx_code:
                raise ReceiveError(_("The issuer asks for the transaction code it sent you."))
            address = parsed.issuer
    except ReceiveError as error:
        raise ValidationError(error.reason, code="offer") from error
    with transaction.atomic():
        job = ImportJob.objects.create(owner=learner, url=address[:2000])
        OfferImport.objects.create(
            job=job,
            protocol=protocol,
            secret_encrypted=encryption.encrypt(json.dumps({"offer": offer, "tx_code": tx_code})),
        )
    transaction.on_commit(lambda: queue_job(job))
    return job


def accept_offer(
    *, learner: User, offer: str, tx_code: str = "", redirect_uri: str
) -> tuple[ImportJob, str]:
    """The learner approved an offer: queue it, or (when the issuer wants them to sign in
    first) make the job and give the address of the issuer's sign-in page to send them to.

    Returns the job and that address ("" when nothing is left to do but wait for the job).
    """
    offer = _checked_offer(offer)
    if _protocol_of(offer) == OfferImportProtocol.VCAPI:
        return request_offer_import(learner=learner, offer=offer, tx_code=tx_code), ""
    try:
        parsed = oid4vci.read_offer(offer)
        if not parsed.needs_sign_in:
            return request_offer_import(learner=learner, offer=offer, tx_code=tx_code), ""
        metadata = oid4vci.issuer_metadata(parsed)
    except ReceiveError as error:
        raise ValidationError(error.reason, code="offer") from error
    verifier, challenge = oid4vci.pkce_pair()
    with transaction.atomic():
        job = ImportJob.objects.create(owner=learner, url=parsed.issuer[:2000])
        # The state names the job, so the learner's return finds it; its random half is
        # compared with the kept copy, so no one else's return can complete it.
        state = f"{job.uuid}.{secrets.token_urlsafe(24)}"
        secret = {
            "offer": offer,
            "sign_in": {
                "state": state,
                "code_verifier": verifier,
                "redirect_uri": redirect_uri,
                "client_id": settings.SITE_URL,
            },
        }
        OfferImport.objects.create(
            job=job,
            protocol=OfferImportProtocol.OID4VCI,
            secret_encrypted=encryption.encrypt(json.dumps(secret)),
        )
    address = oid4vci.authorization_url(
        metadata,
        parsed,
        client_id=settings.SITE_URL,
        redirect_uri=redirect_uri,
        state=state,
        code_challenge=challenge,
    )
    return job, address


def finish_sign_in(*, learner: User, state: str, code: str, error: str = "") -> ImportJob:
    """The learner is back from the issuer's sign-in: queue the job with the code it gave."""
    job_uuid = (state or "").partition(".")[0]
    offer_import = (
        OfferImport.objects.select_related("job")
        .filter(job__owner=learner, job__uuid__in=_uuids(job_uuid))
        .first()
    )
    if offer_import is None or not offer_import.secret_encrypted:
        raise ValidationError(_("This sign-in does not match an offer you accepted."))
    secret = json.loads(encryption.decrypt(offer_import.secret_encrypted))
    sign_in = secret.get("sign_in") or {}
    job = offer_import.job
    # Compared as bytes: compare_digest refuses text that is not ASCII.
    kept = str(sign_in.get("state", "")).encode()
    if not hmac.compare_digest(kept, state.encode()) or job.is_done:
        raise ValidationError(_("This sign-in does not match an offer you accepted."))
    if error or not code or len(code) > oid4vci.MAX_TEXT:
        _forget(offer_import)
        job.fail(
            _("The issuer did not let the wallet receive the credential (%(error)s).")
            % {"error": (error or _("no code"))[:100]}
        )
        return job
    sign_in["code"] = code
    offer_import.secret_encrypted = encryption.encrypt(json.dumps(secret))
    offer_import.save(update_fields=["secret_encrypted", "updated_at"])
    transaction.on_commit(lambda: queue_job(job))
    return job


def _uuids(text: str) -> list[uuid.UUID]:
    try:
        return [uuid.UUID(text)]
    except ValueError:
        return []


def _is_offer_by_reference(offer: str) -> bool:
    query = parse_qs(urlsplit(offer).query)
    return "credential_offer_uri" in query and "credential_offer" not in query


def _offer_uri(offer: str) -> str:
    uri = parse_qs(urlsplit(offer).query).get("credential_offer_uri", [""])[0]
    if not oid4vci.is_web_address(uri):
        raise ReceiveError(_("The offer's address is not a web address."))
    return uri


def _container(credentials: list[Any]) -> bytes:
    """The credentials as one presentation, so the import service stores them all or none."""
    presentation = {
        "@context": [VC2_CONTEXT],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": credentials,
    }
    return json.dumps(presentation).encode("utf-8")


def _store(job: ImportJob, credentials: list[Any]) -> None:
    outcome = import_credentials_for(
        learner=job.owner,
        data=_container(credentials),
        source=CredentialSource.ISSUER,
        source_url=job.url,
    )
    job.credentials.add(*outcome.created)


def _receive_oid4vci(job: ImportJob, state: dict[str, Any]) -> oid4vci.Received:
    deferred = state.get("deferred")
    if isinstance(deferred, dict):
        return oid4vci.poll_deferred(
            deferred_endpoint=deferred["endpoint"],
            access_token=deferred["access_token"],
            transaction_id=deferred["transaction_id"],
        )
    offer = oid4vci.read_offer(state["offer"])
    if job.url != offer.issuer:
        ImportJob.objects.filter(pk=job.pk).update(url=offer.issuer[:2000])
        job.url = offer.issuer[:2000]
    authorization = None
    if offer.needs_sign_in:
        sign_in = state.get("sign_in") or {}
        if not sign_in.get("code"):
            raise ReceiveError(
                _("You did not finish signing in at the issuer; accept the offer again.")
            )
        authorization = {
            "code": sign_in["code"],
            "code_verifier": sign_in["code_verifier"],
            "redirect_uri": sign_in["redirect_uri"],
            "client_id": sign_in["client_id"],
        }
    metadata = oid4vci.issuer_metadata(offer)
    token = oid4vci.request_token(
        metadata, offer, state.get("tx_code", ""), authorization=authorization
    )
    found: list[Any] = []
    for configuration_id in offer.configuration_ids:
        received = oid4vci.request_credential(
            learner=job.owner,
            metadata=metadata,
            configuration_id=configuration_id,
            access_token=token["access_token"],
        )
        if received.transaction_id:
            if not metadata.deferred_endpoint:
                raise ReceiveError(
                    _("The issuer deferred the credential but gives no way to fetch it.")
                )
            if found:
                # Keep what is here; the one deferred is asked for later on its own.
                _store(job, found)
            state.clear()
            state["deferred"] = {
                "endpoint": metadata.deferred_endpoint,
                "access_token": token["access_token"],
                "transaction_id": received.transaction_id,
                "polls": 0,
            }
            return received
        found.extend(received.credentials)
    return oid4vci.Received(credentials=found)


def run_offer_import(*, job: ImportJob, will_retry: bool = True) -> int | None:
    """Receive what the job's offer gives and store it, moving the job to ready or failed.

    Returns the seconds after which to ask again when the issuer deferred the credential
    (the job is then pending), else None. A transient failure puts the job back to pending
    and raises for the task to retry, unless `will_retry` says no retry will come.
    """
    if job.is_done:
        return None
    offer_import = OfferImport.objects.filter(job=job).first()
    if offer_import is None or not offer_import.secret_encrypted:
        job.fail(_("The offer is no longer available: ask the issuer for a new one."))
        return None
    state = json.loads(encryption.decrypt(offer_import.secret_encrypted))
    job.start()
    try:
        if offer_import.protocol == OfferImportProtocol.VCAPI:
            credentials = vcapi.run_exchange(
                learner=job.owner, link=vcapi.read_link(state["offer"])
            )
            received = oid4vci.Received(credentials=credentials)
        else:
            received = _receive_oid4vci(job, state)
        if received.transaction_id:
            deferred = state["deferred"]
            deferred["polls"] += 1
            if deferred["polls"] > MAX_DEFERRED_POLLS:
                raise ReceiveError(
                    _("The issuer has still not delivered the credential; ask it again later.")
                )
            offer_import.secret_encrypted = encryption.encrypt(json.dumps(state))
            offer_import.save(update_fields=["secret_encrypted", "updated_at"])
            job.retry()
            return received.interval
        _store(job, received.credentials)
    except ReceiveError as error:
        if error.transient and will_retry:
            job.retry()
            raise
        _forget(offer_import)
        job.fail(error.reason)
        return None
    except ValidationError as error:
        _forget(offer_import)
        job.fail(" ".join(error.messages))
        return None
    _forget(offer_import)
    job.finish()
    return None


def _forget(offer_import: OfferImport) -> None:
    """Erase the offer, codes and tokens: the job is over."""
    OfferImport.objects.filter(pk=offer_import.pk).update(secret_encrypted="")

"""The learner's holder keys: made when first needed, used to prove control, rotated on request.

An Ed25519 key is named by its did:key (what VC-API exchanges' DID authentication expects);
a P-256 key by its did:jwk (ES256, which many OID4VCI issuers ask for). The private half is
encrypted at rest and is never shown, exported or sent anywhere: only signatures leave.
"""

import json
from collections.abc import Iterable

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from credentials import encryption
from credentials.services import record_audit_event
from credentials.signing import PrivateKey, b64url, ed25519_multikey, public_jwk
from wallet.audit import AccountAction
from wallet.models import HolderKey, HolderKeyType, User


def _new_private_key(key_type: str) -> PrivateKey:
    if key_type == HolderKeyType.ED25519:
        return ed25519.Ed25519PrivateKey.generate()
    return ec.generate_private_key(ec.SECP256R1())


def _did_of(private_key: PrivateKey) -> str:
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return f"did:key:{ed25519_multikey(private_key.public_key())}"
    jwk = json.dumps(public_jwk(private_key), separators=(",", ":"))
    return f"did:jwk:{b64url(jwk.encode())}"


def holder_key_for(*, learner: User, key_type: str) -> HolderKey:
    """The learner's active key of this type, made now if they have none yet."""
    existing = HolderKey.objects.owned_by(learner).active().filter(key_type=key_type).first()
    if existing is not None:
        return existing
    private_key = _new_private_key(key_type)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    try:
        with transaction.atomic():
            return HolderKey.objects.create(
                owner=learner,
                key_type=key_type,
                did=_did_of(private_key),
                private_key_encrypted=encryption.encrypt(pem),
            )
    except IntegrityError:
        # Two imports made the first key at once: the other one's key is the learner's.
        return HolderKey.objects.owned_by(learner).active().get(key_type=key_type)


def private_key_of(key: HolderKey) -> PrivateKey:
    """Decrypt a key's private half, to sign with it."""
    if not key.private_key_encrypted:
        raise ValueError("a retired holder key cannot sign")
    loaded = serialization.load_pem_private_key(
        encryption.decrypt(key.private_key_encrypted).encode("ascii"), password=None
    )
    if not isinstance(loaded, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
        raise ValueError("a holder key is Ed25519 or P-256")
    return loaded


def verification_method_of(key: HolderKey) -> str:
    """The DID URL of the key itself: did:key:z…#z… or did:jwk:…#0."""
    if key.did.startswith("did:key:"):
        return f"{key.did}#{key.did.removeprefix('did:key:')}"
    return f"{key.did}#0"


@transaction.atomic
def rotate_holder_keys(*, learner: User) -> int:
    """Retire every active key (erasing its private half); new ones are made when needed.

    Returns how many keys were retired. Credentials bound to a retired key stay the
    learner's: its DID is still theirs, only the signing is over.
    """
    now = timezone.now()
    retired = (
        HolderKey.objects.owned_by(learner)
        .active()
        .update(retired_at=now, private_key_encrypted="", updated_at=now)
    )
    if retired:
        record_audit_event(action=AccountAction.HOLDER_KEYS_ROTATED, actor=learner, target=learner)
    return retired


def holder_dids_of(learner: models.Model) -> Iterable[str]:
    """Every DID the learner holds or held (the recipient check's source of proven control)."""
    return HolderKey.objects.filter(owner=learner).values_list("did", flat=True)

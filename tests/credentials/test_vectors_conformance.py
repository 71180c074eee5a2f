"""Public conformance vectors (../shared/vectors): each file's expected verdict, in one table.

Remote documents the vectors point at are served locally through `web` (host names routed
to a 127.0.0.1 server, the fetcher's own checks still applied): DCC's did:web documents and
status lists, 1EdTech's OB 2.0 assets and bitstring list. The 1EdTech OB 3.0/CLR examples
name keys as `<issuer URL>#<multikey>` on hosts that publish nothing; the test stands in for
those issuers with a controller document listing exactly the keys the vectors name (as the
1EdTech validator resolves them from the fragment). Hosts the vectors name but whose
documents are not among the vectors (dc.1edtech.org, DCC's dcc-did-web) answer 404.
Nothing here reaches the internet, and the files are read in place, never copied.
"""

import functools
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from credentials.formats import CredentialFormatError, read_credentials
from credentials.models import TrustedIssuer
from credentials.verification.checks import CheckName, CheckStatus, Code
from credentials.verification.engine import VerificationResult, verify_bytes
from tests.credentials.support.issuer import (
    RoutedWeb,
    site_fixture,  # noqa: F401
    web_fixture,  # noqa: F401
)

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors"
OB20 = "1edtech/validator/inspector-vc/src/test/resources/ob20"
OB30 = "1edtech/validator/inspector-vc/src/test/resources/ob30"
CLR20 = "1edtech/validator/inspector-clr/src/test/resources/clr20"
FIX1 = "dcc/vc-test-fixtures/verifiableCredentials/v1"
FIX2 = "dcc/vc-test-fixtures/verifiableCredentials/v2"
CORE = "dcc/verifier-core/verifiableCredentials"
# Fixed so that "expired" and "not yet valid" vectors keep meaning what their names say.
NOW = datetime(2026, 6, 1, tzinfo=UTC)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not VECTORS.is_dir(), reason=f"the public vectors are not at {VECTORS} (../shared/vectors)"
    ),
]

ERROR = "error"  # the file is not a readable credential

# One row per file (file#n: the n-th credential nested in a CLR): file | verdict | why, where the
# name does not say it. "verified_with_warnings" for a valid vector means: the issuer is not in
# this site's registry (empty here), or the key is not linked to the issuer, as the row says.
# Short roots: ob20/ ob30/ clr20/ (1EdTech validator), fix1/ fix2/ (DCC vc-test-fixtures v1/v2),
# core/ (DCC verifier-core, prefix "verifiableCredentials").
TABLE = """
1edtech/clr2-1edtech-signed.json                                                            | verified_with_warnings
1edtech/clr2-1edtech-signed.json#1                                                          | verified_with_warnings
1edtech/ob3-1edtech-signed.json                                                             | verified_with_warnings
clr20/complex.json                                                                          | verified_with_warnings | key not linked to the issuer
clr20/complex.json#1                                                                        | verified_with_warnings | key not linked to the issuer
clr20/complex.json#2                                                                        | verified_with_warnings | key not linked to the issuer
clr20/complex.json#3                                                                        | verified_with_warnings | key not linked to the issuer
clr20/complex.json#4                                                                        | verified_with_warnings | key not linked to the issuer
clr20/complex.json#5                                                                        | verified_with_warnings | key not linked to the issuer
clr20/complex.json#6                                                                        | verified_with_warnings | key not linked to the issuer
clr20/simple-noproof.json                                                                   | failed                 | draft CLR context not bundled
clr20/simple-noproof.json#1                                                                 | failed                 | draft CLR context not bundled
clr20/simple.json                                                                           | verified_with_warnings
clr20/simple.json#1                                                                         | verified_with_warnings
clr20/simple.jwt                                                                            | unverifiable           | draft CLR and OB contexts not bundled: cannot tell
clr20/simple.jwt#1                                                                          | unverifiable           | draft CLR and OB contexts not bundled: cannot tell
clr20/simple_old_safesigned.json                                                            | unverifiable           | draft CLR context not bundled: cannot tell
clr20/simple_old_safesigned.json#1                                                          | failed                 | draft CLR context not bundled
clr20/simple_v1.json                                                                        | unverifiable           | its key id is a urn:uuid, which no method resolves
clr20/simple_v1.json#1                                                                      | unverifiable           | its key id is a urn:uuid, which no method resolves
clr20/simple_v1.json#2                                                                      | verified_with_warnings | key not linked to the issuer
clr20/simple_v1.json#3                                                                      | verified_with_warnings | key not linked to the issuer
clr20/simple_v1.json#4                                                                      | verified_with_warnings | key not linked to the issuer
clr20/simple_v1.json#5                                                                      | verified_with_warnings | key not linked to the issuer
clr20/simple_v1.json#6                                                                      | verified_with_warnings | key not linked to the issuer
ob20/assertion-with-data-image.json                                                         | verified_with_warnings
ob20/assertion-with-endorsements.json                                                       | verified_with_warnings
ob20/assertion-with-extension-node-basic.json                                               | verified_with_warnings
ob20/assertion-with-extension-node-invalid.json                                             | verified_with_warnings | extension schemas are not validated
ob20/assertion-with-multiple-extensions.json                                                | verified_with_warnings
ob20/badge-class-with-language.json                                                         | error                  | a BadgeClass, not an assertion
ob20/basic-assertion-expired-before-issued.json                                             | expired                | its expiry date is past
ob20/basic-assertion-expired.json                                                           | expired
ob20/basic-assertion-in-future.json                                                         | failed
ob20/basic-assertion-invalid-context.json                                                   | failed
ob20/basic-assertion-invalid-type.json                                                      | failed
ob20/basic-assertion-no-public-key.json                                                     | verified_with_warnings | hosted: no key needed
ob20/basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json                 | failed
ob20/basic-assertion-with-allowed-origins-invalid-starts-with.json                          | failed
ob20/basic-assertion-with-allowed-origins-valid-multiple-starts-with.json                   | verified_with_warnings
ob20/basic-assertion-with-allowed-origins-valid-starts-with.json                            | verified_with_warnings
ob20/basic-assertion-with-allowed-origins.json                                              | verified_with_warnings
ob20/basic-assertion-with-language.json                                                     | verified_with_warnings
ob20/basic-assertion.json                                                                   | verified_with_warnings
ob20/issuer-compact-iri-validation.json                                                     | error                  | an Issuer profile, not an assertion
ob20/redirected-validation-subject.json                                                     | error                  | JSON with comments is not JSON
ob20/simple-badge.png                                                                       | verified_with_warnings
ob20/simple-not-revoked.jwt                                                                 | verified_with_warnings
ob20/simple-revoked.jwt                                                                     | revoked
ob20/simple.jwt                                                                             | verified_with_warnings
ob20/warning-issuer-non-http.json                                                           | failed                 | issuer id is not a URL: no origin to host the assertion
ob20/warning-with-redirection.json                                                          | verified_with_warnings
ob30/bit-string-list/credential-status-revoked-blank-nodes.json                             | revoked
ob30/bit-string-list/credential-status-revoked.json                                         | revoked
ob30/complete.json                                                                          | unverifiable           | its 1EdTechRevocationList is not among the vectors (404: retried)
ob30/complete_v1.json                                                                       | failed                 | 1EdTechJsonSchemaValidator2019 is undefined in its contexts; also expired
ob30/credential-status-revoked.json                                                         | failed                 | its did:web DID document is not among the vectors (404)
ob30/endorsement-err-schema-status-refresh.json                                             | failed                 | its signature does not match its content
ob30/endorsement-valid.json                                                                 | verified_with_warnings
ob30/sd/derivedcredential.json                                                              | verified_with_warnings | ecdsa-sd-2023 derived proof; its did:key issuer is in no registry
ob30/simple-context-alias.json                                                              | verified_with_warnings
ob30/simple-context-version.json                                                            | verified_with_warnings
ob30/simple-did-key-method.json                                                             | verified_with_warnings | urn:uuid issuer, did:key key: integrity only, key not linked
ob30/simple-did-web-method.json                                                             | verified_with_warnings
ob30/simple-eddsa-2022.json                                                                 | unverifiable           | eddsa-2022 is a pre-standard cryptosuite name: not supported
ob30/simple-err-context.json                                                                | failed
ob30/simple-err-credential-subject-achievement-result-description-type.json                 | failed
ob30/simple-err-credential-subject-identifier-type.json                                     | failed
ob30/simple-err-credential-subject-profile-type.json                                        | failed
ob30/simple-err-credential-subject-result-type.json                                         | failed
ob30/simple-err-credential-subject-type.json                                                | failed
ob30/simple-err-evidence-type.json                                                          | failed
ob30/simple-err-expired.json                                                                | expired
ob30/simple-err-issued.json                                                                 | failed
ob30/simple-err-issuer-otheridentifier-type.json                                            | failed
ob30/simple-err-issuer-parentorg-type.json                                                  | failed
ob30/simple-err-issuer-type.json                                                            | failed
ob30/simple-err-issuer.json                                                                 | failed
ob30/simple-err-proof-method-no-scheme.json                                                 | failed
ob30/simple-err-proof-method-unknown-did-method.json                                        | unverifiable           | a DID method the wallet cannot resolve
ob30/simple-err-proof-method-unknown-scheme.json                                            | unverifiable           | a key id scheme the wallet cannot resolve
ob30/simple-err-proof-method.json                                                           | unverifiable           | the method id carries an unknown multicodec key type
ob30/simple-err-proof-value.json                                                            | failed
ob30/simple-err-type.json                                                                   | failed
ob30/simple-json.png                                                                        | verified_with_warnings
ob30/simple-json.svg                                                                        | verified_with_warnings
ob30/simple-jwt.png                                                                         | verified_with_warnings | key in the JWT header: integrity only, key not linked
ob30/simple-jwt.svg                                                                         | verified_with_warnings | key in the JWT header: integrity only, key not linked
ob30/simple-jwt_v1.png                                                                      | verified_with_warnings | key in the JWT header: integrity only, key not linked
ob30/simple-jwt_v1.svg                                                                      | verified_with_warnings | key in the JWT header: integrity only, key not linked
ob30/simple-multiple-proofs.json                                                            | verified_with_warnings | a proof of an unknown type is skipped; the eddsa proof holds
ob30/simple-noproof.json                                                                    | failed
ob30/simple.json                                                                            | verified_with_warnings
ob30/simple.jwt                                                                             | failed                 | the JWT names no key (no kid, no jwk)
ob30/simple_v1.json                                                                         | verified_with_warnings
ob30/velocity.jwt                                                                           | unverifiable           | did:velocity is a DID method the wallet cannot resolve
fix1/bothSignatureTypes/didKey/fourRegistry-noStatus-noExpiry.json                          | verified_with_warnings
fix1/bothSignatureTypes/didKey/legacy-noStatus-noExpiry-basicOBv3.json                      | verified_with_warnings
fix1/bothSignatureTypes/didKey/legacy-noStatus-noExpiry.json                                | verified_with_warnings
fix1/bothSignatureTypes/didKey/mixedRegistry-validStatus-noExpiry.json                      | unverifiable           | status list published by another did:key than the issuer
fix1/bothSignatureTypes/didKey/noRegistry-noStatus-noExpiry.json                            | verified_with_warnings
fix1/bothSignatureTypes/didKey/oidf-noStatus-expired.json                                   | expired
fix1/bothSignatureTypes/didKey/oidf-noStatus-noExpiry.json                                  | verified_with_warnings
fix1/bothSignatureTypes/didKey/oidf-revokedStatus-expired.json                              | expired
fix1/bothSignatureTypes/didWeb/legacy-noStatus-noExpiry.json                                | verified_with_warnings
fix1/bothSignatureTypes/didWeb/legacy-revokedStaus-noExpiry.json                            | unverifiable           | status list published by another did:key than the issuer
fix1/bothSignatureTypes/didWeb/legacy-validStatus-noExpiry.json                             | unverifiable           | status list published by another did:key than the issuer
fix1/bothSignatureTypes/didWeb/oidf-noStatus-noExpiry.json                                  | verified_with_warnings
fix1/bothSignatureTypes/didWeb/oidf-revokedStatus-noExpiry.json                             | unverifiable           | status list published by another did:key than the issuer
fix1/bothSignatureTypes/didWeb/oidf-validStatus-noExpiry.json                               | unverifiable           | status list published by another did:key than the issuer
fix1/dataIntegrityProof/didKey/fourRegistry-noStatus-noExpiry.json                          | verified_with_warnings
fix1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json                                | verified_with_warnings
fix1/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-OBSpecExample.json          | verified_with_warnings
fix1/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-oldDCCExample.json          | verified_with_warnings
fix1/dataIntegrityProof/didKey/mixedRegistry-validStatus-noExpiry.json                      | unverifiable           | status list published by another did:key than the issuer
fix1/dataIntegrityProof/didKey/noRegistry-noStatus-noExpiry.json                            | verified_with_warnings
fix1/dataIntegrityProof/didKey/oidf-noStatus-expired.json                                   | expired
fix1/dataIntegrityProof/didKey/oidf-noStatus-noExpiry.json                                  | verified_with_warnings
fix1/dataIntegrityProof/didKey/oidf-revokedStatus-expired.json                              | expired
fix1/dataIntegrityProof/didWeb/legacy-noStatus-noExpiry.json                                | verified_with_warnings
fix1/dataIntegrityProof/didWeb/legacy-revokedStatus-noExpiry.json                           | unverifiable           | status list published by another did:key than the issuer
fix1/dataIntegrityProof/didWeb/legacy-validStatus-noExpiry.json                             | unverifiable           | status list published by another did:key than the issuer
fix1/dataIntegrityProof/didWeb/oidf-noStatus-noExpiry.json                                  | verified_with_warnings
fix1/dataIntegrityProof/didWeb/oidf-revokedStatus-noExpiry.json                             | unverifiable           | status list published by another did:key than the issuer
fix1/dataIntegrityProof/didWeb/oidf-validStatus-noExpiry.json                               | unverifiable           | status list published by another did:key than the issuer
fix1/ed25519/didKey/fourRegistry-noStatus-noExpiry.json                                     | verified_with_warnings
fix1/ed25519/didKey/legacy-noStatus-expired.json                                            | expired
fix1/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json                            | verified_with_warnings
fix1/ed25519/didKey/legacy-noStatus-noExpiry.json                                           | error                  | the file is not JSON
fix1/ed25519/didKey/legacyRegistry-noStatus-noExpiry-issuerImageId.json                     | verified_with_warnings
fix1/ed25519/didKey/mixedRegistry-validStatus-noExpiry.json                                 | unverifiable           | status list published by another did:key than the issuer
fix1/ed25519/didKey/noRegistry-noStatus-noExpiry.json                                       | verified_with_warnings
fix1/ed25519/didKey/oidf-noStatus-expired.json                                              | expired
fix1/ed25519/didKey/oidf-noStatus-noExpiry.json                                             | verified_with_warnings
fix1/ed25519/didKey/oidf-revokedStatus-expired.json                                         | expired
fix1/ed25519/didWeb/legacy-noStatus-noExpiry.json                                           | verified_with_warnings
fix1/ed25519/didWeb/legacy-revokedStatus-noExpiry.json                                      | unverifiable           | status list published by another did:key than the issuer
fix1/ed25519/didWeb/legacy-validStatus-noExpiry.json                                        | unverifiable           | status list published by another did:key than the issuer
fix1/ed25519/didWeb/oidf-noStatus-noExpiry.json                                             | verified_with_warnings
fix1/ed25519/didWeb/oidf-revokedStatus-noExpiry.json                                        | unverifiable           | status list published by another did:key than the issuer
fix1/ed25519/didWeb/oidf-validStatus-noExpiry.json                                          | unverifiable           | status list published by another did:key than the issuer
fix2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry-nonOBWithOBContext.json             | verified_with_warnings
fix2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry.json                                | verified_with_warnings
fix2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement-withSchema.json       | verified_with_warnings
fix2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement.json                  | verified_with_warnings
fix2/bothSignatureTypes/didkey/noRegistry-revokedStatus-expired.json                        | expired
fix2/bothSignatureTypes/didkey/noRegistry-revokedStatus-notExpired.json                     | unverifiable           | status list published by another did:key than the issuer
fix2/bothSignatureTypes/didkey/oidf-revokedStatus-noExpiry.json                             | unverifiable           | status list published by another did:key than the issuer
fix2/bothSignatureTypes/didweb/legacy-revokedStatus-expired.json                            | expired
fix2/bothSignatureTypes/didweb/legacy-revokedStatus-noExpiry.json                           | unverifiable           | status list published by another did:key than the issuer
fix2/bothSignatureTypes/didweb/oidf-noStatus-notExpired.json                                | verified_with_warnings
fix2/dataIntegrityProof/didKey/legacyRegistry-noStatus- noExpiry-credSubjName.json          | verified_with_warnings
fix2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-OBSpecExample.json          | verified_with_warnings
fix2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-achievementTypeExample.json | verified_with_warnings
fix2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-alignments.json             | verified_with_warnings
fix2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-basicOBv3.json              | verified_with_warnings
fix2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credName.json               | verified_with_warnings
fix2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credSubjName.json           | verified_with_warnings
fix2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json           | verified_with_warnings
fix2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-minimal.json                | verified_with_warnings
fix2/dataIntegrityProof/didKey/legacyRegistry-noStatus-notExpired-withSchema.json           | verified_with_warnings
fix2/dataIntegrityProof/didKey/noRegistry-revokedStatus-noExpiry.json                       | expired                | despite its name, validUntil is 2010
fix2/dataIntegrityProof/didKey/noRegsitry-revokedStatus-notExpired.json                     | unverifiable           | status list published by another did:key than the issuer
fix2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-complexIssuer.json                  | verified_with_warnings
fix2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-notYetValid.json                    | failed
fix2/dataIntegrityProof/didKey/oidf-revokedStatus-noExpiry.json                             | unverifiable           | status list published by another did:key than the issuer
fix2/dataIntegrityProof/didKey/twoOIDF-revoked-notExpired-badSchema.json                    | unverifiable           | status list published by another did:key than the issuer
fix2/dataIntegrityProof/didKey/twoOIDF-validStatus-expired.json                             | expired
fix2/dataIntegrityProof/didweb/legacy-revokedStatus-expired.json                            | expired
fix2/dataIntegrityProof/didweb/legacy-revokedStatus-noExpiry.json                           | unverifiable           | status list published by another did:key than the issuer
fix2/dataIntegrityProof/didweb/oidf-noStatus-notExpired.json                                | verified_with_warnings
fix2/ed25519/didKey/legacy-expiredStatus-noExpiry.json                                      | unverifiable           | status list past its validity: retried
fix2/ed25519/didKey/legacy-missingTypeStatus-noExpiry.json                                  | unverifiable           | status list credential lacks its type
fix2/ed25519/didKey/legacy-noStatus-expired.json                                            | expired
fix2/ed25519/didKey/legacy-noStatus-noExpiry-lcwExperience.json                             | verified_with_warnings
fix2/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json                            | verified_with_warnings
fix2/ed25519/didKey/legacy-noStatus-noExpiry-tampered.json                                  | failed
fix2/ed25519/didKey/legacy-noStatus-noExpiry.json                                           | verified_with_warnings
fix2/ed25519/didKey/legacy-notYetValidStatus-noExpiry.json                                  | unverifiable           | status list not yet valid: retried
fix2/ed25519/didKey/legacy-tamperedStatus-noExpiry.json                                     | unverifiable           | status list fails its own proof
fix2/ed25519/didKey/noRegistry-revokedStatus-expired.json                                   | expired
fix2/ed25519/didKey/noRegistry-revokedStatus-notExpired.json                                | unverifiable           | status list published by another did:key than the issuer
fix2/ed25519/didKey/oidf-revokedStatus-noExpiry.json                                        | unverifiable           | status list published by another did:key than the issuer
fix2/ed25519/didWeb/badDidWeb.json                                                          | failed
fix2/ed25519/didWeb/legacy-revokedStatus-expired.json                                       | expired
fix2/ed25519/didWeb/legacy-revokedStatus-noExpiry.json                                      | unverifiable           | status list published by another did:key than the issuer
fix2/ed25519/didWeb/oidf-noStatus-notExpired.json                                           | verified_with_warnings
core/_eddsaAndEd25519_v2_v2DoubleSigWithBadStatusUrl.json                                   | unverifiable           | status list URL answers 404: retried
core/_eddsaAndEd25519_v2_v2DoubleSigWithValidStatus.json                                    | verified_with_warnings
core/_eddsa_v2_safeModeBreaker.json                                                         | failed
core/_eddsa_v2_v2EddsaWithValidStatus.json                                                  | verified_with_warnings
core/_v1_testVC.json                                                                        | failed                 | both signatures fail: the file differs from what was signed
core/_v1_v1Expired.json                                                                     | expired
core/_v1_v1ExpiredWithValidStatus.json                                                      | expired
core/_v1_v1NoStatus.json                                                                    | verified_with_warnings
core/_v1_v1OBv3SpecExample.json                                                             | verified_with_warnings
core/_v1_v1Revoked.json                                                                     | revoked
core/_v1_v1RevokedAndExpired.json                                                           | revoked
core/_v1_v1SimpleIssuerId.json                                                              | verified_with_warnings
core/_v1_v1WithValidStatus.json                                                             | verified_with_warnings
core/_v2_didWeb_v2WithBadDidWeb.json                                                        | failed
core/_v2_didWeb_v2didWebMultikeyWithValidStatus.json                                        | failed                 | its DID document is not among the vectors (404)
core/_v2_didWeb_v2didWebWithValidStatus.json                                                | failed                 | its DID document is not among the vectors (404)
core/_v2_v2Expired.json                                                                     | expired
core/_v2_v2ExpiredWithValidStatus.json                                                      | expired
core/_v2_v2NoStatus.json                                                                    | verified_with_warnings
core/_v2_v2OBv3SpecExample.json                                                             | verified_with_warnings
core/_v2_v2Revoked.json                                                                     | revoked
core/_v2_v2RevokedAndExpired.json                                                           | revoked
core/_v2_v2SimpleIssuerId.json                                                              | verified_with_warnings
core/_v2_v2WithValidStatus.json                                                             | verified_with_warnings
w3c-vc-di-eddsa/Ed25519Signature2020/signedEdSig.json                                       | verified_with_warnings
w3c-vc-di-eddsa/eddsa-jcs-2022/signedJCS.json                                               | verified_with_warnings
w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json                                          | verified_with_warnings
w3c-vc-di-eddsa/proof-set-chain/signedProofChain1.json                                      | verified_with_warnings
w3c-vc-di-eddsa/proof-set-chain/signedProofChain2.json                                      | verified_with_warnings
w3c-vc-di-eddsa/proof-set-chain/signedProofSet1.json                                        | verified_with_warnings
w3c-vc-di-eddsa/proof-set-chain/signedProofSet2.json                                        | verified_with_warnings
"""  # noqa: E501
ROOTS = {
    "ob20/": f"{OB20}/",
    "ob30/": f"{OB30}/",
    "clr20/": f"{CLR20}/",
    "fix1/": f"{FIX1}/",
    "fix2/": f"{FIX2}/",
    "core/": CORE,
}


def _expand(name: str) -> str:
    for short, root in ROOTS.items():
        if name.startswith(short):
            return root + name[len(short) :]
    return name


def _parse(table: str) -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for line in table.strip().splitlines():
        name, verdict, *why = (cell.strip() for cell in line.split(" | "))
        rows[_expand(name)] = (verdict, why[0] if why else "")
    return rows


EXPECTED = _parse(TABLE)

DCC_DIDS = {
    "did:web:digitalcredentials.github.io:vc-test-fixtures:dids:oidf": "dids/oidf/did.json",
    "did:web:digitalcredentials.github.io:vc-test-fixtures:dids:legacy": "dids/legacy/did.json",
}
DCC_LISTS = "dcc/vc-test-fixtures/statusLists/didkey-ed25519Signature2020"
STATUS_LISTS = {
    "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/"
    "didkey-ed25519Signature2020/{name}": (
        "e5WK8CbZ1GjycuPombrj",
        "expired",
        "missingBitStringType",
        "notYetValid",
        "tampered",
    ),
}
# verifier-core's own copy of the e5WK8… list is not among the vectors; vc-test-fixtures
# publishes the list of the same name, served here in its place.
VERIFIER_CORE_LIST = (
    "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/"
    "src/test-fixtures/status/e5WK8CbZ1GjycuPombrj"
)
ONE_EDTECH_LIST = (
    "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/"
    "main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist"
)
SILENT_HOSTS = ("dc.1edtech.org",)


@functools.cache
def _https_key_ids() -> frozenset[str]:
    found: set[str] = set()
    for file in (VECTORS / "1edtech").rglob("*.json"):
        if "contexts" in file.parts:
            continue
        text = file.read_text(encoding="utf-8", errors="replace")
        for chunk in text.split('"verificationMethod"')[1:]:
            value = chunk.split('"')[1] if chunk.count('"') >= 2 else ""
            if value.startswith("https://") and "#" in value:
                found.add(value)
    return frozenset(found)


def _publish_controller_documents(web: RoutedWeb) -> None:
    by_controller: dict[str, list[str]] = {}
    for key_id in _https_key_ids():
        by_controller.setdefault(urldefrag(key_id)[0], []).append(key_id)
    for controller, key_ids in by_controller.items():
        methods = [
            {
                "id": key_id,
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": urldefrag(key_id)[1],
            }
            for key_id in sorted(key_ids)
        ]
        document = {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": controller,
            "verificationMethod": methods,
            "assertionMethod": sorted(key_ids),
        }
        web.add(controller, json.dumps(document).encode())


def _publish_ob2_assets(web: RoutedWeb) -> None:
    for file in (VECTORS / OB20 / "assets").iterdir():
        for scheme in ("https", "http"):
            web.add_file(f"{scheme}://example.org/{file.name}", file)


@pytest.fixture
def vector_web(web: RoutedWeb) -> RoutedWeb:
    """Every remote document the vectors rely on, served locally."""
    for did, path in DCC_DIDS.items():
        web.add_did_web(did, json.loads((VECTORS / "dcc/vc-test-fixtures" / path).read_text()))
    for pattern, names in STATUS_LISTS.items():
        for name in names:
            web.add_file(pattern.format(name=name), VECTORS / DCC_LISTS / name)
    web.add_file(VERIFIER_CORE_LIST, VECTORS / DCC_LISTS / "e5WK8CbZ1GjycuPombrj")
    web.add_file(ONE_EDTECH_LIST, VECTORS / OB30 / "bit-string-list/testlist")
    web.hosts.update(SILENT_HOSTS)
    web.hosts.add("digitalcredentials.github.io")
    _publish_controller_documents(web)
    _publish_ob2_assets(web)
    return web


def _host_the_assertion(web: RoutedWeb, path: str, data: bytes) -> None:
    # A hosted OB 2.0 assertion is verified against the copy at its own id.
    if not path.startswith(OB20):
        return
    try:
        found = read_credentials(data, filename=path)
    except CredentialFormatError:
        return
    for parsed in found:
        url = parsed.document.get("id")
        if parsed.format == "ob2-hosted" and isinstance(url, str) and "example.org" in url:
            web.add(url, json.dumps(parsed.document).encode())


def _verdicts(path: str, web: RoutedWeb) -> dict[str, str]:
    data = (VECTORS / path).read_bytes()
    _host_the_assertion(web, path, data)
    try:
        results = verify_bytes(data, filename=path, now=NOW)
    except CredentialFormatError:
        return {path: ERROR}
    found: dict[str, str] = {}

    def record(result: VerificationResult) -> None:
        key = path if result.index == 0 else f"{path}#{result.index}"
        found[key] = str(result.verdict)
        for child in result.children:
            record(child)

    for result in results:
        record(result)
    return found


FILES = sorted({key.split("#")[0] for key in EXPECTED})


@pytest.mark.parametrize("path", FILES)
def test_each_vector_gets_its_expected_verdict(path: str, vector_web: RoutedWeb) -> None:
    expected = {
        key: verdict for key, (verdict, _why) in EXPECTED.items() if key.split("#")[0] == path
    }
    found = _verdicts(path, vector_web)
    assert {key: found.get(key) for key in expected} == expected


def _walked() -> list[str]:
    patterns = [
        ("1edtech", "*.json"),
        (OB20, "*.json"),
        (OB20, "*.jwt"),
        (OB20, "*.png"),
        (OB30, "**/*.json"),
        (OB30, "*.jwt"),
        (OB30, "*.png"),
        (OB30, "*.svg"),
        (CLR20, "*.json"),
        (CLR20, "*.jwt"),
        ("dcc/verifier-core", "*.json"),
        ("dcc/vc-test-fixtures/verifiableCredentials", "**/*.json"),
        ("w3c-vc-di-eddsa", "*/signed*.json"),
    ]
    found = set()
    for folder, pattern in patterns:
        for file in (VECTORS / folder).glob(pattern):
            found.add(str(file.relative_to(VECTORS)))
    return sorted(found)


def test_the_table_covers_every_credential_file_in_the_vectors() -> None:
    missing = [path for path in _walked() if path not in EXPECTED]
    assert missing == []


def test_a_valid_signature_by_a_key_the_issuer_id_does_not_control_says_so(
    vector_web: RoutedWeb,
) -> None:
    [result] = verify_bytes((VECTORS / OB30 / "simple-did-key-method.json").read_bytes(), now=NOW)
    issuer = result.check(CheckName.ISSUER)
    assert result.check(CheckName.PROOF).status == CheckStatus.PASSED
    assert (issuer.status, issuer.code) == (CheckStatus.WARNING, Code.KEY_NOT_LINKED)
    assert issuer.message.startswith("Key not linked to Andy F. Miller")
    assert "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" in issuer.message


def test_a_vector_from_a_registered_issuer_is_verified(vector_web: RoutedWeb) -> None:
    TrustedIssuer.objects.create(
        name="Example University", identifiers=["https://example.edu/issuers/565049"]
    )
    [result] = verify_bytes((VECTORS / "1edtech/ob3-1edtech-signed.json").read_bytes(), now=NOW)
    assert result.verdict == "verified"


def test_the_operator_can_vouch_for_the_did_key_of_a_urn_uuid_issuer(vector_web: RoutedWeb) -> None:
    TrustedIssuer.objects.create(
        name="Andy F. Miller",
        identifiers=["did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"],
    )
    [result] = verify_bytes((VECTORS / OB30 / "simple-did-key-method.json").read_bytes(), now=NOW)
    assert result.check(CheckName.ISSUER).status == CheckStatus.PASSED
    assert result.verdict == "verified"

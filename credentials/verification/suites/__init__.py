"""Proof suites, one module per family, each registering itself in `base`'s table.

A new suite is one module here plus its import below; `proofs.verify_proofs` finds it by
the proof's `type` and `cryptosuite`.
"""

from credentials.verification.suites import (
    ecdsa,  # noqa: F401  (registers its suites)
    ecdsa_sd,  # noqa: F401  (registers ecdsa-sd-2023)
    eddsa,  # noqa: F401  (registers its suites)
    legacy,  # noqa: F401  (registers Ed25519Signature2018/2020, JsonWebSignature2020)
)
from credentials.verification.suites.base import (
    ProofCode,
    ProofError,
    Suite,
    SuiteInput,
    registered,
    suite_for,
)

__all__ = ["ProofCode", "ProofError", "Suite", "SuiteInput", "registered", "suite_for"]

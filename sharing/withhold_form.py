"""The share form's part for selective disclosure: for each credential signed with an
ecdsa-sd-2023 base proof, the fields the learner may leave out and those the issuer made
mandatory. The form keeps the learner's ticks; the service checks them.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from credentials.disclosure import Field, base_document, fields, mandatory_pointers, pointer_label
from credentials.models import Credential
from credentials.verification.suites.ecdsa_sd import SUITE
from sharing.disclosure import reached_credentials, withheld_by_uuid
from sharing.models import ShareLink
from sharing.services.links import Selection

# Credentials offered at most; each lists its fields, so a page stays readable.
MAX_OFFERS = 50


@dataclass
class Offer:
    """One selective-disclosure credential and the fields of it the learner may withhold."""

    credential: Credential
    optional: list[Field]
    mandatory: list[str]
    chosen: list[str] = field(default_factory=list)

    @property
    def input_name(self) -> str:
        return f"withhold-{self.credential.uuid}"


class WithheldChoices:
    """The offers for a learner's form, with what was ticked (posted, or saved on the link)."""

    def __init__(self, *, owner: models.Model, link: ShareLink | None, data: Any) -> None:
        candidates = (
            Credential.objects.owned_by(owner)
            .top_level()
            .shareable()
            .exclude(curation__is_hidden=True)
            .filter(document__proof__cryptosuite=SUITE)
            .order_by("name")[:MAX_OFFERS]
        )
        saved = withheld_by_uuid(link) if link is not None else {}
        self.offers: list[Offer] = []
        for credential in candidates:
            document = base_document(credential)
            if document is None:
                continue
            listed = fields(document)
            offer = Offer(
                credential=credential,
                optional=[item for item in listed if not item.is_mandatory],
                mandatory=[pointer_label(pointer) for pointer in mandatory_pointers(document)],
            )
            if data is not None:
                offer.chosen = [str(value) for value in data.getlist(offer.input_name)]
            else:
                offer.chosen = saved.get(str(credential.uuid), [])
            self.offers.append(offer)

    def withheld(self, selection: Selection) -> dict[str, list[str]]:
        """What the learner ticked, for the credentials the selection shows."""
        shown = {
            str(credential.uuid)
            for credential in reached_credentials(
                credentials=selection.credentials,
                collections=selection.collections,
                skills=selection.skills,
            )
        }
        return {
            str(offer.credential.uuid): offer.chosen
            for offer in self.offers
            if offer.chosen and str(offer.credential.uuid) in shown
        }

"""The selective-disclosure panel of a credential's page: which fields the issuer made
mandatory and which the learner may leave out when sharing."""

from typing import Any

from django import template

from credentials.disclosure import base_document, fields, mandatory_pointers, pointer_label
from credentials.models import Credential

register = template.Library()


@register.inclusion_tag("credentials/_selective_disclosure.html")
def selective_disclosure(credential: Credential) -> dict[str, Any]:
    """Nothing for a credential without an ecdsa-sd-2023 base proof."""
    document = base_document(credential)
    if document is None:
        return {"allows_selective_disclosure": False}
    return {
        "allows_selective_disclosure": True,
        "mandatory": [pointer_label(pointer) for pointer in mandatory_pointers(document)],
        "optional": [field for field in fields(document) if not field.is_mandatory],
    }

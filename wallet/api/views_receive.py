"""Receiving from an issuer over the API: an OID4VCI offer or a VC-API exchange link."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from credentials.api.base import ApiView, errors
from credentials.api.serializers import ImportJobSerializer
from wallet import receive
from wallet.api.views import IMPORT


class OfferImportSerializer(serializers.Serializer):
    """An offer and, when the issuer sent one apart, its transaction code."""

    offer = serializers.CharField(
        max_length=receive.MAX_OFFER_CHARS,
        trim_whitespace=True,
        help_text=_(
            "An OpenID4VCI credential offer (openid-credential-offer://…, by value or by "
            "credential_offer_uri), a VC-API exchange URL or a wallet deep link to one."
        ),
    )
    tx_code = serializers.CharField(
        max_length=receive.MAX_TX_CODE_CHARS,
        required=False,
        allow_blank=True,
        help_text=_("The transaction code the issuer sent you apart from the offer, if it asks."),
    )


class OfferImport(ApiView):
    """Receive what an issuer offers, in the background."""

    @extend_schema(
        tags=[IMPORT],
        summary=_("Receive a credential an issuer offers"),
        description=_(
            "Queues a job that takes the offer (OpenID4VCI pre-authorised code, with its "
            "transaction code when the issuer asks for one) or the VC-API exchange, proving "
            "control of your holder key, and imports what the issuer gives. The answer is 202 "
            "with the job; poll `GET /api/v1/import-jobs/{uuid}/` until `status` is `ready` or "
            "`failed`. The offer and code are never shown back nor kept after the job."
        ),
        request=OfferImportSerializer,
        responses={202: ImportJobSerializer, **errors(400, 403, 413, 415, 422)},
        examples=[
            OpenApiExample(
                "An offer with a transaction code",
                value={
                    "offer": "openid-credential-offer://?credential_offer_uri=https%3A%2F%2F"
                    "issuer.example%2Foffers%2F1",
                    "tx_code": "493536",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        """Queue the job."""
        data = self.validated(OfferImportSerializer)
        job = receive.request_offer_import(
            learner=request.user, offer=data["offer"], tx_code=data.get("tx_code", "")
        )
        response = Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("api:import_job", kwargs={"job_uuid": job.uuid})
        return response

"""The API's answer to withheld fields it cannot use: 400 under `withheld`, like any other
field of the request, rather than the 422 a service refusal gets."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


@contextmanager
def withheld_errors_as_400() -> Iterator[None]:
    """Re-raise a service's refusal of withheld fields as a 400 on the `withheld` field."""
    try:
        yield
    except DjangoValidationError as error:
        codes = [item.code or "" for item in getattr(error, "error_list", [])]
        if codes and all(code.startswith("withheld") for code in codes):
            raise serializers.ValidationError(
                {"withheld": [serializers.ErrorDetail(m, code=codes[0]) for m in error.messages]}
            ) from error
        raise

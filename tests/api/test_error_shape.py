"""A service's refusal reaches an API client in the one error shape, whatever its form."""

from django.core.exceptions import ValidationError

from credentials.api.errors import exception_handler


def test_a_refusal_keyed_by_field_names_each_field_and_its_reasons():
    refusal = ValidationError(
        {"withheld": ["Not a JSON pointer."], "credentials": ["Not yours.", "Gone."]},
        code="invalid_selection",
    )
    response = exception_handler(refusal, {})
    assert response.status_code == 422
    error = response.data["error"]
    assert error["fields"] == {
        "withheld": ["Not a JSON pointer."],
        "credentials": ["Not yours.", "Gone."],
    }
    assert "Not a JSON pointer." in error["message"]


def test_a_single_refusal_keeps_its_own_code():
    response = exception_handler(ValidationError("Too late.", code="expired"), {})
    assert response.status_code == 422
    assert response.data["error"]["code"] == "expired"
    assert response.data["error"]["message"] == "Too late."

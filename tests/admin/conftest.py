import pytest
from django.test import Client


@pytest.fixture
def admin_client_(admin_user, settings) -> Client:
    """A superuser logged in to the admin, two-factor enrolment not required."""
    settings.ADMIN_REQUIRES_MFA = False
    client = Client()
    client.force_login(admin_user)
    return client

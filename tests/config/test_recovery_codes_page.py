"""The recovery-codes page (the site's templates/mfa/recovery_codes/index.html): it asks
the learner to save the codes now, downloading them is the main action, and making new
ones is a secondary action that warns the old codes stop working."""

import re

from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.config.test_allauth_wording import FRENCH, enrol_totp, reader_text


def button_classes(html: str, url: str) -> list[str]:
    """The classes of the link to `url` drawn as a button, or [] when the page has none."""
    match = re.search(rf'<a class="([^"]*)" href="{re.escape(url)}"', html)
    return match.group(1).split() if match else []


def is_primary(classes: list[str]) -> bool:
    return "button" in classes and "button-secondary" not in classes


def test_it_asks_to_save_the_codes_now_and_makes_downloading_the_main_action(
    learner_client, learner
):
    enrol_totp(learner_client)
    response = learner_client.get(reverse("mfa_view_recovery_codes"))
    text = reader_text(response)
    html = response.content.decode()

    assert "Recovery codes · Skills Wallet" in text
    assert "Save these codes now." in text
    assert "Each code works once." in text
    assert "10 of your 10 recovery codes are still unused." in text
    codes = Authenticator.objects.get(user=learner, type=Authenticator.Type.RECOVERY_CODES)
    for code in codes.wrap().get_unused_codes():
        assert code in text

    download = reverse("mfa_download_recovery_codes")
    generate = reverse("mfa_generate_recovery_codes")
    assert is_primary(button_classes(html, download))
    assert "button-secondary" in button_classes(html, generate)
    assert html.index(f'href="{download}"') < html.index(f'href="{generate}"')
    assert "Generating new codes makes the codes above stop working." in text
    warning = re.search(r'<p class="alert" id="([\w-]+)">\s*Generating new codes', html)
    assert f'href="{generate}" aria-describedby="{warning.group(1)}"' in html


def test_in_french_downloading_is_still_the_main_action(learner_client):
    enrol_totp(learner_client)
    response = learner_client.get(reverse("mfa_view_recovery_codes"), **FRENCH)
    text = reader_text(response)
    html = response.content.decode()
    assert "Télécharger les codes" in text and "Générer de nouveaux codes" in text
    assert is_primary(button_classes(html, reverse("mfa_download_recovery_codes")))
    assert not is_primary(button_classes(html, reverse("mfa_generate_recovery_codes")))


def test_with_every_code_used_generating_new_ones_is_the_main_action(learner_client, learner):
    enrol_totp(learner_client)
    codes = Authenticator.objects.get(user=learner, type=Authenticator.Type.RECOVERY_CODES)
    for code in codes.wrap().get_unused_codes():
        assert codes.wrap().validate_code(code)

    response = learner_client.get(reverse("mfa_view_recovery_codes"))
    text = reader_text(response)
    html = response.content.decode()
    assert "0 of your 10 recovery codes are still unused." in text
    assert "You have used all your recovery codes." in text
    assert "Save these codes now." not in text and "Download codes" not in text
    assert button_classes(html, reverse("mfa_download_recovery_codes")) == []
    assert is_primary(button_classes(html, reverse("mfa_generate_recovery_codes")))

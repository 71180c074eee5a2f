"""Forms of the "Receive from an issuer" page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wallet.receive import MAX_OFFER_CHARS, MAX_TX_CODE_CHARS


class OfferForm(forms.Form):
    """The offer or exchange link, pasted."""

    offer = forms.CharField(
        label=_("Offer or exchange link"),
        max_length=MAX_OFFER_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "Starts with openid-credential-offer://, or is a web address the issuer gave you "
            "to get your credential."
        ),
    )


class AcceptForm(forms.Form):
    """The learner's approval, with the transaction code when the issuer asks for one."""

    offer = forms.CharField(max_length=MAX_OFFER_CHARS, widget=forms.HiddenInput)
    tx_code = forms.CharField(
        label=_("Transaction code"),
        max_length=MAX_TX_CODE_CHARS,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
        help_text=_("The issuer sent this code apart from the offer (by email or text message)."),
    )

    def __init__(
        self,
        *args: object,
        needs_tx_code: bool = False,
        tx_code_length: int | None = None,
        tx_code_is_numeric: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not needs_tx_code:
            del self.fields["tx_code"]
            return
        field = self.fields["tx_code"]
        field.required = True
        # The issuer says how the code looks: a phone shows digits, the field its length.
        if tx_code_is_numeric:
            field.widget.attrs["inputmode"] = "numeric"
        if tx_code_length:
            field.widget.attrs["size"] = max(tx_code_length, 4)

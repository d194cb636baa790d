"""Forms of the advisors' accounts: the second factor's code, API token names."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """The 6-digit code of an authenticator app; spaces are forgiven."""

    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
        error_messages={"required": _("Saisissez le code affiché par l’application.")},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Le code compte 6 chiffres."))
        return code


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Pour vous en souvenir : « CRM de la chambre », « script »…"),
        error_messages={"required": _("Donnez un nom à ce jeton.")},
    )

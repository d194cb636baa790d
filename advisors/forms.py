"""The forms of the advisor workspace and of the owner's sharing page."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from assessment.adjusting import KINDS
from assessment.catalogue import load_catalogue
from assessment.forms import ProfileForm

from . import cases
from .models import Adjustment, Case, Membership, Organisation

ITEM_KIND_LABELS = dict(Adjustment.ItemKind.choices)


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(),
        label=_("Organisation"),
        error_messages={
            "required": _("Choisissez une organisation de la liste."),
            "invalid_choice": _("Choisissez une organisation de la liste."),
        },
    )
    consent = forms.BooleanField(
        label=_("Je donne mon accord à ce partage."),
        error_messages={"required": _("Cochez la case pour donner votre accord.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class CaseForm(forms.Form):
    """A form of the case page: several share it, so their ids must not collide."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class NoteForm(CaseForm):
    id_prefix = "note"

    text = forms.CharField(
        label=_("Nouvelle note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusForm(CaseForm):
    id_prefix = "status"

    status = forms.ChoiceField(label=_("Nouvel état"), choices=Case.Status.choices)


class AssignForm(CaseForm):
    id_prefix = "assign"

    assignee = forms.ModelChoiceField(
        get_user_model().objects.none(),
        label=_("Conseiller chargé"),
        required=False,
        empty_label=_("Personne"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = cases.members_of(organisation)
        field.label_from_instance = lambda u: u.get_full_name() or u.get_username()


class HideForm(forms.Form):
    item_kind = forms.ChoiceField(choices=Adjustment.ItemKind.choices)
    item_slug = forms.SlugField(max_length=120)
    reason = forms.CharField(
        label=_("Pourquoi la retirer ?"),
        max_length=2000,
        error_messages={"required": _("Dites en une phrase pourquoi vous la retirez.")},
    )


def catalogue_choices() -> list:
    """Every item an advisor may add, grouped by kind: « kind:slug »."""
    catalogue = load_catalogue()
    groups = {kind: [] for kind in KINDS}
    for uc in catalogue.use_cases:
        groups["use_case"].append((f"use_case:{uc.slug}", uc.name))
    for p in catalogue.programmes:
        if not p.open_to_companies:  # for students, laboratories…: never a company's
            continue
        groups[p.kind].append((f"{p.kind}:{p.slug}", p.name))
    for p in catalogue.providers:
        groups["provider"].append((f"provider:{p.slug}", p.name))
    return [
        (ITEM_KIND_LABELS[kind], sorted(items, key=lambda c: c[1].lower()))
        for kind, items in groups.items()
    ]


class AddItemForm(CaseForm):
    id_prefix = "add"

    item = forms.ChoiceField(
        label=_("Élément du catalogue"),
        error_messages={
            "required": _("Choisissez un élément de la liste."),
            "invalid_choice": _("Choisissez un élément de la liste."),
        },
    )
    note = forms.CharField(
        label=_("Pourquoi l’ajouter ? (facultatif)"), max_length=2000, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—")] + catalogue_choices()

    def clean_item(self):
        kind, _sep, slug = self.cleaned_data["item"].partition(":")
        return kind, slug


class AdviceForm(CaseForm):
    id_prefix = "advice"

    text = forms.CharField(
        label=_("Votre conseil"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Il apparaîtra dans le plan d’action, à la page « L’essentiel »."),
    )


class MemberForm(forms.Form):
    username = forms.SlugField(
        label=_("Identifiant"),
        max_length=150,
        error_messages={
            "invalid": _(
                "L’identifiant ne peut contenir que des lettres sans accent, des "
                "chiffres, des tirets et des tirets bas."
            )
        },
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        error_messages={"invalid": _("Saisissez une adresse e-mail valide.")},
    )
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=Membership.Role.choices,
        initial=Membership.Role.ADVISOR,
        error_messages={"invalid_choice": _("Choisissez un rôle de la liste.")},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Membership.Role.choices)


# A browser's date field reads and writes ISO dates, whatever the language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    """An organisation admin's new campaign."""

    name = forms.CharField(
        label=_("Nom de la campagne"),
        max_length=120,
        help_text=_("Par exemple : Atelier IA de la CCI, Toulouse."),
    )
    starts_on = forms.DateField(label=_("Premier jour"), widget=DATE_INPUT)
    ends_on = forms.DateField(
        label=_("Dernier jour"),
        widget=DATE_INPUT,
        help_text=_("Le lien n’accepte plus de nouveaux diagnostics après ce jour."),
    )
    event = forms.CharField(label=_("Événement (facultatif)"), max_length=200,
                            required=False)  # fmt: skip
    place = forms.CharField(label=_("Lieu (facultatif)"), max_length=200,
                            required=False)  # fmt: skip
    welcome = forms.CharField(
        label=_("Mot d’accueil (facultatif)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Affiché aux dirigeants en haut de la première page."),
    )
    receiving = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("Organisation qui reçoit les dossiers partagés"),
        to_field_name="slug",
        error_messages={
            "required": _("Choisissez une organisation de la liste."),
            "invalid_choice": _("Choisissez une organisation de la liste."),
        },
    )

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Le dernier jour précède le premier."))
        return data


class CampaignStartForm(ProfileForm):
    """The profile on a campaign's first page, with the consent to share."""

    share = forms.BooleanField(required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share"].label = cases.consent_text(campaign.receiving)

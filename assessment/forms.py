"""Forms of the diagnostic pages: the company profile, the hourly cost, the e-mail.

Questionnaire steps are not Django forms: the questions are data, so their
inputs are read here and validated by `answering.save_answers`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalog import formatting
from catalog.models import Department, Sector, SizeBand

from .answering import PROFILE_FIELDS
from .models import CONSENT_TEXT, REMINDERS_CONSENT_TEXT, Assessment, validate_siren
from .questionnaire import (
    Kind,
    QuestionnaireSpec,
    QuestionSpec,
    SectionSpec,
    is_visible,
)


def _sort_key(text: str) -> str:
    """Sort « Énergie » with the E, as a French reader expects."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def department_choices() -> list:
    """All departments, grouped by region, both sorted by name."""
    groups: dict[str, list] = {}
    for dep in Department.objects.select_related("region"):
        groups.setdefault(dep.region.name, []).append((dep.code, str(dep)))
    return [("", "—")] + [
        (region, sorted(groups[region], key=lambda c: _sort_key(c[1])))
        for region in sorted(groups, key=_sort_key)
    ]


def sector_choices() -> list:
    sectors = sorted(Sector.objects.all(), key=lambda s: _sort_key(s.name))
    return [("", "—")] + [(s.slug, s.name) for s in sectors]


class ProfileForm(forms.ModelForm):
    """The company profile; a new diagnostic also needs explicit consent."""

    sector = forms.ModelChoiceField(
        Sector.objects.all(),
        to_field_name="slug",
        label=gettext_lazy("Secteur d’activité"),
    )
    size_band = forms.ModelChoiceField(
        SizeBand.objects.all(),
        to_field_name="code",
        label=gettext_lazy("Effectif"),
        empty_label="—",
    )
    department = forms.ModelChoiceField(
        Department.objects.all(),
        to_field_name="code",
        label=gettext_lazy("Département"),
    )
    siren = forms.CharField(
        label=gettext_lazy("SIREN (facultatif)"),
        required=False,
        max_length=20,  # spaces are allowed: « 732 829 320 »
        help_text=gettext_lazy("Les 9 chiffres qui identifient votre entreprise."),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": gettext_lazy(
                "Cochez cette case pour commencer : sans votre accord, rien n’est enregistré."
            )
        },
    )

    class Meta:
        model = Assessment
        fields = PROFILE_FIELDS
        labels = {
            "company_name": gettext_lazy("Nom de l’entreprise"),
            "revenue_band": gettext_lazy("Chiffre d’affaires annuel (facultatif)"),
            "respondent_name": gettext_lazy("Votre nom"),
            "respondent_email": gettext_lazy("Votre adresse e-mail"),
            "respondent_role": gettext_lazy("Votre fonction"),
        }
        help_texts = {
            "respondent_email": gettext_lazy(
                "Seulement pour vous envoyer votre lien ou votre plan, si vous le demandez."
            ),
            "respondent_role": gettext_lazy(
                "Par exemple : gérant, directrice administrative."
            ),
        }

    def __init__(self, *args, ask_consent: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_consent:
            del self.fields["consent"]
        self.fields["sector"].choices = sector_choices()
        self.fields["department"].choices = department_choices()
        self.fields["revenue_band"].choices = [
            ("", "—"),
            *Assessment.RevenueBand.choices,
        ]
        self.fields["siren"].widget.attrs.update(
            inputmode="numeric", autocomplete="off"
        )
        self.fields["respondent_email"].widget.attrs["autocomplete"] = "email"
        self.fields["respondent_name"].widget.attrs["autocomplete"] = "name"
        self.fields["company_name"].widget.attrs["autocomplete"] = "organization"

    def clean_siren(self) -> str:
        siren = "".join(self.cleaned_data["siren"].split())
        if siren:
            validate_siren(siren)
        return siren

    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}


class HourlyCostForm(forms.Form):
    hourly_cost = forms.DecimalField(
        label=gettext_lazy("Coût horaire chargé (€)"),
        min_value=Decimal("1"),
        max_value=Decimal("1000"),
        max_digits=6,
        decimal_places=2,
        localize=True,
        help_text=gettext_lazy(
            "Salaire et charges divisés par les heures travaillées."
        ),
    )


class EmailLinkForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Adresse e-mail"))
    token = forms.CharField(widget=forms.HiddenInput, max_length=100)


# --- Questionnaire steps ---------------------------------------------------------

SHOWN = "shown"  # hidden inputs naming the questions a step displayed


@dataclass(frozen=True)
class QuestionField:
    """One question as a step displays it: its value and its error, if any."""

    question: QuestionSpec
    value: object
    error: str = ""

    @property
    def id(self) -> str:
        return "q-" + self.question.code.replace(".", "-")

    @property
    def values(self) -> list[str]:
        """The checked codes, for choice questions."""
        if isinstance(self.value, list):
            return [str(v) for v in self.value]
        return [] if self.value in (None, "") else [str(self.value)]

    @property
    def text(self) -> str:
        """The value in an input box; French decimals use a comma."""
        if self.value is None or isinstance(self.value, list):
            return ""
        if isinstance(self.value, float) and get_language() != "en":
            return str(self.value).replace(".", ",")
        return str(self.value)

    @property
    def hint(self) -> str:
        return question_hint(self.question)

    @property
    def described_by(self) -> str:
        """The ids of the help, hint and error texts that describe the input."""
        parts = [
            ("help", self.question.help_text),
            ("hint", self.hint),
            ("error", self.error),
        ]
        return " ".join(f"{self.id}-{name}" for name, text in parts if text)


def question_hint(q: QuestionSpec) -> str:
    """The constraints of a question, said before the user runs into them."""
    if q.kind == Kind.NUMBER and q.min_value is not None and q.max_value is not None:
        return _("Un nombre de %(low)s à %(high)s %(unit)s.") % {
            "low": _plain(q.min_value),
            "high": _plain(q.max_value),
            "unit": q.unit,
        }
    if q.kind == Kind.MULTIPLE and q.max_choices:
        return _("%(n)d réponses au plus.") % {"n": q.max_choices}
    if q.kind == Kind.MULTIPLE:
        return _("Plusieurs réponses possibles.")
    return ""


def _plain(number: Decimal) -> str:
    """12, 7,5 or 5\u202f000 in French; 7.5 or 5,000 in English."""
    return formatting.number(number, 2)


def controlling_codes(spec: QuestionnaireSpec) -> set[str]:
    """Questions whose answer shows or hides another question."""
    return {
        q.condition["question"]
        for section in spec.sections
        for q in section.questions
        if q.condition
    }


def raw_answers(post, section: SectionSpec, stored: dict) -> dict:
    """The answers a step's form sent, keyed by question code.

    Only the questions the step displayed count (an unchecked box sends
    nothing), and those that the new answers hide again are left out, so that
    a stale value in a hidden question blocks nothing.
    """
    shown = set(post.getlist(SHOWN))
    raw = {
        q.code: post.getlist(q.code)
        if q.kind == Kind.MULTIPLE
        else post.get(q.code, "")
        for q in section.questions
        if q.code in shown
    }
    merged = {**stored, **raw}
    return {
        q.code: raw[q.code]
        for q in section.questions
        if q.code in raw and is_visible(q, merged)
    }


def question_fields(
    section: SectionSpec, answers: dict, errors: dict | None = None
) -> list[QuestionField]:
    """The visible questions of a step with the values and errors to show."""
    errors = errors or {}
    return [
        QuestionField(q, answers.get(q.code), errors.get(q.code, ""))
        for q in section.questions
        if is_visible(q, answers)
    ]


def condition_text(spec: QuestionnaireSpec, question: QuestionSpec) -> str:
    """When a conditional question is asked, for the printable preview."""
    condition = question.condition or {}
    source = spec.by_code.get(condition.get("question", ""))
    if source is None:
        return ""
    codes = (
        [condition["includes"]] if "includes" in condition else condition.get("in", [])
    )
    labels = ", ".join(
        f"« {choice.label} »" for code in codes if (choice := source.choice(code))
    )
    return _("Posée si vous avez répondu %(answers)s à « %(question)s ».") % {
        "answers": labels,
        "question": source.label,
    }


# --- Following the plan ------------------------------------------------------------


class ProgressForm(forms.Form):
    """One tick of the follow-up page: the action's state and its date."""

    status = forms.ChoiceField(
        label=gettext_lazy("État"),
        choices=[
            ("todo", gettext_lazy("À faire")),
            ("started", gettext_lazy("Commencée")),
            ("done", gettext_lazy("Faite")),
            ("dropped", gettext_lazy("Abandonnée")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choisissez un état."),
            "invalid_choice": gettext_lazy(
                "État inconnu : à faire, commencée, faite ou abandonnée."
            ),
        },
    )
    on = forms.DateField(
        label=gettext_lazy("Le"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Aujourd’hui si vous la laissez vide."),
        error_messages={"invalid": gettext_lazy("Date attendue au format AAAA-MM-JJ.")},
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        if today:  # browsers offer no later day; the server refuses one anyway
            self.fields["on"].widget.attrs["max"] = today.isoformat()


class RemindersForm(forms.Form):
    """The explicit opt-in to reminders: an address and a ticked box."""

    email = forms.EmailField(
        label=gettext_lazy("Adresse e-mail des rappels"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Indiquez l’adresse qui recevra les rappels."),
            "invalid": gettext_lazy("Adresse e-mail non valide."),
        },
    )
    agree = forms.BooleanField(
        error_messages={
            "required": gettext_lazy("Cochez la case pour recevoir les rappels.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agree"].label = REMINDERS_CONSENT_TEXT

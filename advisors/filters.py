"""The queue's filters and sorts, as a django-filter FilterSet (like catalog/).

The page and the API read the same set, so a value that is not understood is
an error in both: a French message on the page, a JSON 400 from the API. The
options of the page's lists come from the same fields.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assessment.scoring import LEVELS
from catalog.models import Department, Sector, SizeBand, StoneCategory

from .cases import members_of
from .models import Campaign, Case

SEARCH_MAX = 100
# The value in the URL → its label, and the order it stands for. The primary
# key breaks ties, so that a case never shows on two pages at once. Filters
# and sorts read the case's copy of its diagnostic's facets (Case.copy_facets),
# which the case's indexes serve.
SORTS = {
    "-shared_at": (_("Plus récents d’abord"), ("-shared_at", "-pk")),
    "shared_at": (_("Plus anciens d’abord"), ("shared_at", "pk")),
    "company": (_("Entreprise (A → Z)"), ("company_name", "pk")),
    "-company": (_("Entreprise (Z → A)"), ("-company_name", "-pk")),
    "-overall": (_("Score le plus haut"), ("-overall", "-pk")),
    "overall": (_("Score le plus bas"), ("overall", "pk")),
    "-updated_at": (_("Modifiés récemment"), ("-updated_at", "-pk")),
}
DEFAULT_SORT = "-shared_at"
ISO_DATE = {
    "input_formats": ["%Y-%m-%d"],  # not the locale's 31/12/2026: one reading only
    "error_messages": {"invalid": _("Date attendue au format AAAA-MM-JJ.")},
}


def _unknown(message):
    return {"invalid_choice": message}


ALL = _("Tous")


def _choice(choices, label, unknown, *, empty_label=ALL, **kwargs):
    """A list of values; one not in it is refused with the message `unknown`."""
    return django_filters.ChoiceFilter(
        choices=choices,
        label=label,
        empty_label=empty_label,
        error_messages=_unknown(unknown),
        **kwargs,
    )


def _by_key(model_queryset, key: str, field_name: str, label, **kwargs):
    """A catalogue record named by its code or slug in the query string."""
    return django_filters.ModelChoiceFilter(
        queryset=model_queryset,
        to_field_name=key,
        field_name=field_name,
        label=label,
        empty_label=ALL,
        error_messages=_unknown(_("Valeur inconnue.")),
        **kwargs,
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="company_name",
        lookup_expr="icontains",
        label=_("Entreprise"),
        max_length=SEARCH_MAX,
    )
    status = _choice(
        [(code, capfirst(label)) for code, label in Case.Status.choices],
        _("État"),
        _("État inconnu."),
    )
    # "me", "none" or a member: the choices are set per organisation below.
    assignee = _choice(
        [],
        _("Attribué à"),
        _("Conseiller inconnu."),
        empty_label=_("Tout le monde"),
        method="filter_assignee",
    )
    level = _choice(
        [(str(level.rank), level.name) for level in LEVELS],
        _("Niveau"),
        _("Le niveau va de 0 à 4."),
        field_name="level",
    )
    department = _by_key(
        Department.objects.order_by("code"),
        "code",
        "department",
        _("Département"),
    )
    sector = _by_key(Sector.objects.order_by("name"), "slug", "sector", _("Secteur"))
    size = _by_key(
        SizeBand.objects.order_by("min_employees"),
        "code",
        "size_band",
        _("Effectif"),
    )
    # The case keeps the category's slug, not a key to it.
    stone = _by_key(
        StoneCategory.objects.order_by("name"),
        "slug",
        "stone",
        _("Caillou"),
        method="filter_stone",
    )
    # « Actions en retard »: an action of the plan passed its end date, neither
    # done nor dropped (the case's copy of the diagnostic's follow-up, indexed).
    late = _choice(
        [("1", _("Seulement les dossiers en retard"))],
        _("Actions en retard"),
        _("Valeur possible : 1."),
        method="filter_late",
    )
    # The campaigns whose cases the organisation receives: set below.
    campaign = _choice(
        [],
        _("Campagne"),
        _("Campagne inconnue."),
        field_name="assessment__campaign_entry__campaign",
    )
    # Bounds on the column itself (not its date) so that the index serves them.
    shared_after = django_filters.DateFilter(
        method="filter_shared_after", label=_("Partagé depuis le"), **ISO_DATE
    )
    shared_before = django_filters.DateFilter(
        method="filter_shared_before", label=_("Partagé jusqu’au"), **ISO_DATE
    )
    sort = _choice(
        [(value, label) for value, (label, _order) in SORTS.items()],
        _("Trier par"),
        _("Tri inconnu."),
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = Case
        fields = []

    def __init__(self, data=None, *, organisation, user, **kwargs):
        super().__init__(data, Case.objects.of(organisation), **kwargs)
        self.user = user
        members = [(str(u.pk), u.get_full_name() or u.username) for u in
                   members_of(organisation)]  # fmt: skip
        self.filters["assignee"].extra["choices"] = [
            ("me", _("Moi")), ("none", _("Personne")), *members,
        ]  # fmt: skip
        received = Campaign.objects.filter(receiving=organisation)
        self.filters["campaign"].extra["choices"] = [
            (str(pk), name) for pk, name in received.values_list("pk", "name")
        ]

    @property
    def form(self):
        form = super().form
        # Advisors know departments by number: "31 — Haute-Garonne".
        form.fields["department"].label_from_instance = lambda department: (
            f"{department.code} — {department.name}"
        )
        return form

    def filter_queryset(self, queryset):
        # Sorted even when the URL names no order: the default one, then.
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS[DEFAULT_SORT][1])
        return queryset

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=int(value))

    def filter_stone(self, queryset, name, value):
        return queryset.filter(stone=value.slug)

    def filter_late(self, queryset, name, value):
        return queryset.filter(actions_due_on__lt=timezone.localdate())

    def filter_shared_after(self, queryset, name, value):
        return queryset.filter(shared_at__gte=_day_start(value))

    def filter_shared_before(self, queryset, name, value):
        return queryset.filter(shared_at__lt=_day_start(value + timedelta(days=1)))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][1])

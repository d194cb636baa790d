"""The statistics page of an organisation and its CSV export."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from . import charts
from .access import advisor_required
from .stats import Row, Statistics, organisation_statistics, parse_period

# French spreadsheets open this directly: `;` between cells, decimal commas,
# and a byte order mark so that accents are read as UTF-8.
CSV_DELIMITER = ";"
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Panel:
    """One figure of the page: a chart and the same numbers as a table."""

    slug: str
    title: str
    columns: tuple[str, str]  # the table's headings: what the rows are, the value
    chart: SafeString
    rows: list[tuple[str, str]]  # (label, value as written)


def _decimal(value: float | None) -> str:
    return "—" if value is None else number_format(value, decimal_pos=1)


def _panel(slug, title, columns, bars, chart=charts.bar_chart, **options) -> Panel:
    svg = chart(bars, title=title, id_prefix=f"chart-{slug}", **options)
    return Panel(slug, title, columns, svg, [(b.label, b.text) for b in bars])


def _counts(rows: list[Row]) -> list[charts.Bar]:
    return [charts.Bar(r.label, r.count, str(r.count)) for r in rows]


def panels(statistics: Statistics) -> list[Panel]:
    """The page's charts: the trend first, then the counts and the averages."""
    s, cases = statistics, _("Dossiers")
    months = [
        charts.Bar(m.label, m.count, str(m.count), m.month.strftime("%m/%Y"))
        for m in s.months
    ]
    scores = [
        charts.Bar(a.label, a.value or 0, _decimal(a.value))
        for a in [s.overall, *s.dimensions]
    ]
    return [
        _panel("months", _("Dossiers partagés par mois"), (_("Mois"), cases),
               months, chart=charts.column_chart),
        _panel("statuses", _("Dossiers par état"), (_("État"), cases),
               _counts(s.statuses)),
        _panel("levels", _("Dossiers par niveau de maturité"), (_("Niveau"), cases),
               _counts(s.levels)),
        _panel("dimensions", _("Score moyen par dimension (sur 100)"),
               (_("Dimension"), _("Score moyen")), scores, maximum=100),
        _panel("stones", _("Cailloux les plus fréquents"), (_("Caillou"), cases),
               _counts(s.stones)),
        _panel("departments", _("Dossiers par département"),
               (_("Département"), cases), _counts(s.departments)),
        _panel("sectors", _("Dossiers par secteur"), (_("Secteur"), cases),
               _counts(s.sectors)),
        _panel("size_bands", _("Dossiers par taille d’entreprise"),
               (_("Taille"), cases), _counts(s.size_bands)),
    ]  # fmt: skip


@advisor_required
def stats(request):
    organisation = request.membership.organisation
    period, errors = parse_period(request.GET)
    statistics = organisation_statistics(organisation, period)
    context = {
        "organisation": organisation,
        "statistics": statistics,
        "panels": panels(statistics) if statistics.total else [],
        "errors": errors,
        "period": period,
        "query": request.GET.urlencode(),
    }
    return render(request, "advisors/stats.html", context)


@advisor_required
def stats_csv(request):
    """The figures of the page in one long table: table; key; label; value."""
    organisation = request.membership.organisation
    period, _errors = parse_period(request.GET)
    statistics = organisation_statistics(organisation, period)
    name = f"statistiques-{organisation.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    return write_csv(name, csv_rows(statistics))


def write_csv(name: str, rows: list[list]) -> HttpResponse:
    """A download of (table, key, label, value) rows, as the statistics write them."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow([_("tableau"), _("clé"), _("libellé"), _("valeur")])
    writer.writerows([_cell(c) for c in row] for row in rows)
    return response


def csv_rows(statistics: Statistics) -> list[list]:
    """Every figure as (table, key, label, value); decimals written the French way."""
    s = statistics
    period = [
        (_("Période"), name, label, day.isoformat())
        for name, label, day in (
            ("shared_after", _("Partagés à partir du"), s.period.shared_after),
            ("shared_before", _("Partagés jusqu’au"), s.period.shared_before),
        )
        if day
    ]
    rows = [
        *period,
        (_("Total"), "cases", _("Dossiers actifs"), s.total),
        *[(_("Score moyen"), a.key, a.label, _number(a.value)) for a in
          [s.overall, *s.dimensions]],
        *[(_("Mois"), m.key, m.label, m.count) for m in s.months],
    ]  # fmt: skip
    tables = (
        (_("État"), s.statuses),
        (_("Niveau"), s.levels),
        (_("Caillou"), s.stones),
        (_("Département"), s.departments),
        (_("Secteur"), s.sectors),
        (_("Taille"), s.size_bands),
    )
    rows += [(table, r.key, r.label, r.count) for table, group in tables for r in group]
    return [list(row) for row in rows]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def _cell(value) -> str:
    """A spreadsheet must not run a label as a formula (catalogue and user text)."""
    text = str(value)
    if text.startswith(CSV_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True

"""Print the advice personas' plans as a Markdown table, from the code.

    .venv/bin/python scripts/advice_table.py

Uses a throwaway SQLite database (migrated, seeds loaded) unless DATABASE_URL
is set. The personas are those of tests/assessment/personas.py.
"""

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/advice.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from assessment.catalogue import read_catalogue  # noqa: E402
from assessment.models import Questionnaire  # noqa: E402
from assessment.questionnaire import spec_for  # noqa: E402
from assessment.results import eligible_programmes, evaluate  # noqa: E402
from tests.assessment import personas  # noqa: E402

START = date(2026, 11, 22)


def row(name: str, persona: dict, spec, catalogue) -> str:
    company = persona["company"]
    result = evaluate(
        spec=spec, answers=persona["answers"], company=company, catalogue=catalogue,
        eligible=eligible_programmes(company, START), hourly_cost=35,
        working_weeks=45, start=START,
    )  # fmt: skip
    recs = result.recommendations
    actions = [a.title for phase in result.roadmap for a in phase.actions][:3]
    cells = [
        f"{name} ({company.sector}, {company.size_band}, {company.department})",
        result.stone.slug if result.stone else "—",
        f"{result.scorecard.level.code} {result.scorecard.overall}",
        " / ".join(actions),
        ", ".join(r.slug for r in (*recs.programmes, *recs.training)) or "—",
        ", ".join(r.slug for r in recs.providers) or "—",
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_seeds", verbosity=0)
    spec = spec_for(Questionnaire.objects.current())
    catalogue = read_catalogue()
    print("| persona | stone | level | first three actions | programmes | providers |")
    print("|---|---|---|---|---|---|")
    for name, persona in personas.ADVICE_PERSONAS.items():
        print(row(name, persona, spec, catalogue))


if __name__ == "__main__":
    main()

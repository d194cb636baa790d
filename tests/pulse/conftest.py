"""The pulse builds on finished diagnostics: their fixtures, shared."""

from tests.assessment.conftest import make_assessment, profile, questionnaire
from tests.reports.conftest import media, seeds, submitted

__all__ = ["make_assessment", "media", "profile", "questionnaire", "seeds", "submitted"]

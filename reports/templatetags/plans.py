"""The versions of a diagnostic's plan, each knowing what changed from the one before."""

from django import template

from ..models import Report

register = template.Library()


@register.simple_tag
def plan_versions(assessment) -> list[Report]:
    return assessment.reports.versions()

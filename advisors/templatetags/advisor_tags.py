from django import template

from advisors import cases

register = template.Library()


@register.simple_tag
def advisor_changes(assessment):
    """What the advising organisations changed in the plan (the owner's pages)."""
    return cases.changes_for_owner(assessment)


@register.filter
def case_changes(case):
    """One share's changes to the plan (cases.CaseChanges)."""
    return cases.changes_of(case)

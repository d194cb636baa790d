from django import template

from assessment import pulse

register = template.Library()


@register.simple_tag
def pulse_summary(assessment) -> pulse.PulseSummary:
    """The pulse of a diagnostic, for the result page's partial."""
    return pulse.summary_for(assessment)

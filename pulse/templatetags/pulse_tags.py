from django import template

from pulse import survey as pulse

register = template.Library()


@register.simple_tag
def pulse_summary(assessment) -> pulse.PulseSummary:
    """The pulse of a diagnostic, for the result page's partial."""
    return pulse.summary_for(assessment)


@register.simple_tag
def pulse_report_section(assessment) -> pulse.PulseSummary | None:
    """What the action plan shows of the pulse: None below the threshold."""
    return pulse.report_section(assessment)

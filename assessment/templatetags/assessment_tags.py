"""The diagnostic pages' filters; numbers and money are the site's one formatter."""

from django import template

from catalog import formatting

register = template.Library()

register.filter("euros", formatting.money)
register.filter("number", formatting.number)
register.filter("percent", formatting.percent)
register.filter("quoted", formatting.quoted)


@register.filter
def signed(delta) -> str:
    """A change in points: « +12 », « −3 » (a true minus sign), « 0 »."""
    if delta is None or delta == "":
        return ""
    delta = int(delta)
    if delta > 0:
        return f"+{delta}"
    return f"\u2212{-delta}" if delta < 0 else "0"

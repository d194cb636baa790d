"""Numbers the French way on the diagnostic pages: « 18 900 € », « 7,5 h »."""

from django import template
from django.utils.translation import get_language

register = template.Library()

NBSP = "\u00a0"
NNBSP = "\u202f"  # groups thousands in French


def _english() -> bool:
    return (get_language() or "fr").startswith("en")


def _grouped(value: int) -> str:
    text = f"{value:,}"
    return text if _english() else text.replace(",", NNBSP)


@register.filter
def euros(amount) -> str:
    """A whole amount: « 18 900 € » (English: « €18,900 »)."""
    if amount is None or amount == "":
        return ""
    value = round(float(amount))
    return f"€{_grouped(value)}" if _english() else f"{_grouped(value)}{NBSP}€"


@register.filter
def number(value) -> str:
    """A number with at most one decimal: « 7,5 », « 12 », « 1 350 »."""
    if value is None or value == "":
        return ""
    value = round(float(value), 1)
    if value == int(value):
        return _grouped(int(value))
    text = f"{value:,.1f}"
    return text if _english() else text.replace(",", NNBSP).replace(".", ",")


@register.filter
def percent(share) -> str:
    """A share from 0 to 1: « 60 % »."""
    if share is None or share == "":
        return ""
    value = round(float(share) * 100)
    return f"{value}%" if _english() else f"{value}{NBSP}%"


@register.filter
def signed(delta) -> str:
    """A change in points: « +12 », « −3 » (a true minus sign), « 0 »."""
    if delta is None or delta == "":
        return ""
    delta = int(delta)
    if delta > 0:
        return f"+{delta}"
    return f"\u2212{-delta}" if delta < 0 else "0"

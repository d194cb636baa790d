from decimal import Decimal

from django import template

register = template.Library()

NBSP = "\u00a0"
NNBSP = "\u202f"


@register.filter
def euros(amount) -> str:
    """Format an amount the French way: « 60 M€ », « 2,5 Md€ », « 5 000 € »."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    for threshold, unit in ((Decimal(10**9), "Md€"), (Decimal(10**6), "M€")):
        if abs(amount) >= threshold:
            return f"{_number(amount / threshold)}{NBSP}{unit}"
    return f"{_number(amount)}{NBSP}€"


def _number(value: Decimal) -> str:
    # Thousands grouped by a narrow no-break space, decimal comma, no zeros.
    text = f"{value.quantize(Decimal('0.01')):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", NNBSP).replace(".", ",")

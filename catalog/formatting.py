"""Numbers, money and quotations as the active language writes them.

One formatter for the whole site and the PDF plans: « 56 700 € » and
« 60 M€ » in French, « €56,700 » and « €60M » in English. Grouping and
decimal marks come from Django's formats (config/formats for French); the
place of the euro sign and the quotation marks are translated strings.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import pgettext

MILLION, BILLION = Decimal(10**6), Decimal(10**9)


def number(value, decimals: int = 1) -> str:
    """A number with at most `decimals` decimals: « 7,5 », « 12 », « 1 350 »."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    places = decimals if value != value.to_integral_value() else 0
    text = formats.number_format(value, places, force_grouping=True)
    if places and formats.get_format("DECIMAL_SEPARATOR") in text:
        text = text.rstrip("0")
    return text


def money(amount) -> str:
    """An amount in euros; millions and billions in short: « 60 M€ », « 2,5 Md€ »."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(str(amount))
    if abs(amount) >= BILLION:
        return pgettext("money", "%(amount)s\u00a0Md€") % {
            "amount": number(amount / BILLION, 2)
        }
    if abs(amount) >= MILLION:
        return pgettext("money", "%(amount)s\u00a0M€") % {
            "amount": number(amount / MILLION, 2)
        }
    return pgettext("money", "%(amount)s\u00a0€") % {"amount": number(amount, 0)}


def percent(share) -> str:
    """A share from 0 to 1: « 60 % » (English « 60% »)."""
    if share is None or share == "":
        return ""
    return pgettext("percent", "%(value)s\u00a0%%") % {
        "value": number(Decimal(str(share)) * 100, 0)
    }


def quoted(text) -> str:
    """Quotation marks of the active language: « texte », “text”."""
    return pgettext("quotation", "«\u00a0%(text)s\u00a0»") % {"text": text}

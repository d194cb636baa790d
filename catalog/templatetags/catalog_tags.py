"""Numbers, money and quotations in the active language (catalog.formatting)."""

from django import template

from catalog import formatting

register = template.Library()

register.filter("euros", formatting.money)
register.filter("number", formatting.number)
register.filter("percent", formatting.percent)
register.filter("quoted", formatting.quoted)

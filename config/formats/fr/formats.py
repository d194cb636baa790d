# French number formats: Django's own, but thousands grouped by a narrow no-break
# space (« 56 700 € »), as French typography writes them. The rest (dates,
# decimal comma) comes from django/conf/locale/fr/formats.py.
THOUSAND_SEPARATOR = "\u202f"

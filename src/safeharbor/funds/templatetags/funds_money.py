"""``{{ amount|usd }}``: dollars with thousands separators and cents, never rounded."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def usd(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "−" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"

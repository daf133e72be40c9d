"""Template filters for Thai display: `{{ value|be_date }}`, `{{ value|be_date:"short" }}`,
`{{ value|be_date:"time" }}`, `{{ n|thai_digits }}`. The one place dates are formatted."""

from django import template

from portal import thai

register = template.Library()


@register.filter
def be_date(value, style: str = ""):
    return thai.format_date(value, short=style == "short", with_time=style == "time")


@register.filter(name="thai_digits")
def thai_digits_filter(value):
    return thai.thai_digits(value)


@register.filter
def be_year(value):
    """A Christian-era year or date as its Buddhist Era year."""
    year = getattr(value, "year", value)
    return thai.to_be_year(int(year)) if year not in (None, "") else ""


@register.filter
def be_year_label(value):
    """A date hierarchy's year ("2026") as the B.E. year in Thai."""
    return thai.be_year_label(value)

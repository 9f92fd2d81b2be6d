"""Dates are shown in one style, the e-mails' (day, month name, year, 24-hour clock), in the viewer's
time zone: before, pages showed Django's American default ("March 31, 2031, 10 a.m.") beside
"Monday 31 March 2031, 10:00" on the meeting pages and in the e-mails."""

import datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone


def render(value) -> str:
    return Template('{{ value|date:"DATE_FORMAT" }} | {{ value|date:"DATETIME_FORMAT" }}').render(
        Context({"value": value})
    )


def test_dates_read_day_month_year_on_a_24_hour_clock_in_the_viewers_time_zone():
    moment = datetime.datetime(2031, 3, 31, 9, 0, tzinfo=datetime.UTC)
    with timezone.override(ZoneInfo("Europe/London")):
        assert render(moment) == "31 March 2031 | 31 March 2031, 10:00"
    with timezone.override(ZoneInfo("America/New_York")):
        assert render(moment) == "31 March 2031 | 31 March 2031, 05:00"

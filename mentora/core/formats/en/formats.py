"""Mentora's one way of showing dates in English, the one its e-mails use too: day, month name, year and a
24-hour clock ("31 March 2031, 10:00"), instead of Django's American default ("March 31, 2031, 10 a.m.").
Templates name these formats (`|date:"DATE_FORMAT"`); the time is the viewer's (core.middleware)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"

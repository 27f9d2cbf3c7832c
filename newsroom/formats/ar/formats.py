# Django's "ar" locale defines no DATETIME_FORMAT, so date-and-time values (the admin's lists
# and history) fall back to the English-ordered "N j, Y, P" ("نوفمبر 29, 2026, 4:58 ص").
# These write them in Arabic order; every other format still comes from Django's "ar" locale.
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"

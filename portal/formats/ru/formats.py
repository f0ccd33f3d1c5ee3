# The one way the portal shows a moment (date and time) in Russian: pages through cabinets' `when` filter,
# emails through DATETIME_FORMAT. A date alone in a sentence keeps Django's "4 марта 2026 г." (DATE_FORMAT).
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"

# The one way the portal shows a moment (date and time) in English: pages through cabinets' `when` filter,
# emails through DATETIME_FORMAT. A date alone in a sentence keeps Django's "March 4, 2026" (DATE_FORMAT).
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"

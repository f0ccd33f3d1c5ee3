"""Notifications: in-app for every event, email per the recipient's preferences, nothing lost.

The one entry point for other apps is `notify`:

    from notifications import notify
    notify(recipients=[owner], event="offers.lot.approved", context={"lot_title": lot.title}, link=url)

It is imported lazily so that importing this package never touches the app registry.
"""


def notify(*, recipients, event: str, context: dict | None = None, link: str = ""):
    from notifications.services import notify as _notify

    return _notify(recipients=recipients, event=event, context=context, link=link)

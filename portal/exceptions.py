class ApplicationError(Exception):
    """The one error a service raises: `message` is shown to the user as it is (already translated)."""

    def __init__(self, message, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

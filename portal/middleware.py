"""Request plumbing shared by every page."""

from portal.exports import CONTROL_CHARACTERS


class StripControlCharactersMiddleware:
    """Form input loses C0 control characters on the way in (tab, line feed and carriage return stay), in one
    place for every form — the cabinets', allauth's and the Django admin's. A name typed or pasted with
    `\\x01` would otherwise be stored, journaled and break every XLSX export that meets it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            posted = request.POST
            if any(CONTROL_CHARACTERS.search(value) for values in posted.lists() for value in values[1]):
                cleaned = posted.copy()
                for key, values in posted.lists():
                    cleaned.setlist(key, [CONTROL_CHARACTERS.sub("", value) for value in values])
                cleaned._mutable = False
                request.POST = cleaned
        return self.get_response(request)

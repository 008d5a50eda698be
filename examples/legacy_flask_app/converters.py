"""URL converters the app registers on its URL map (`app.url_map.converters`)."""

from werkzeug.routing import BaseConverter, ValidationError

MAX_SLUG_LENGTH = 64


class SlugConverter(BaseConverter):
    """A category slug in a URL. Old links were written in any case (`/categories/Tools`), so
    it matches letters of both cases and hands the view the slug lowercased; a value longer
    than any slug does not match the rule at all (a 404, before the view runs)."""

    regex = r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"

    def to_python(self, value):
        if len(value) > MAX_SLUG_LENGTH:
            raise ValidationError()
        return value.lower()

    def to_url(self, value):
        return value.lower()

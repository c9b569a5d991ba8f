"""Fields derived from one source field (HTML from Markdown, say), rendered only when it changes.

Rendering costs far more than saving, and most saves (a status, a flag, a note) leave the
source alone: the value loaded from the database is remembered, and save() renders when the
object is new, its source changed, or the derived fields are missing.
"""

from collections.abc import Iterable
from typing import ClassVar

from django.db import models


class RenderedFromSource(models.Model):
    """A model whose `RENDERED_FIELDS` are filled by `render()` from its `RENDERED_FROM` field.

    bulk_create() skips save(): call render() on each object first, or
    render_each_source_once() on them all.
    """

    RENDERED_FROM: ClassVar[str]
    RENDERED_FIELDS: ClassVar[tuple[str, ...]]

    # The source as it was loaded from the database; None when it was not loaded.
    _loaded_source = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        source = self.RENDERED_FROM
        update_fields = kwargs.get("update_fields")
        saves_source = source not in self.get_deferred_fields() and (
            update_fields is None or source in update_fields
        )
        if saves_source and self._source_needs_rendering():
            self.render()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.RENDERED_FIELDS}
        super().save(*args, **kwargs)
        if saves_source:
            self._loaded_source = getattr(self, source)

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        instance._loaded_source = instance.__dict__.get(cls.RENDERED_FROM)
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None:
            self._loaded_source = self.__dict__.get(self.RENDERED_FROM)
        elif self.RENDERED_FROM in fields:
            self._loaded_source = None  # reloaded without what was rendered from it

    def render(self) -> None:
        """Fill RENDERED_FIELDS from the source."""
        raise NotImplementedError

    def _source_needs_rendering(self) -> bool:
        value = getattr(self, self.RENDERED_FROM)
        rendered = getattr(self, self.RENDERED_FIELDS[0])
        return self._state.adding or value != self._loaded_source or bool(value and not rendered)


def render_each_source_once(objects: Iterable[RenderedFromSource]) -> int:
    """render() `objects` before a bulk_create(), which skips save(); return how many renders.

    Objects with the same source get a copy of the fields rendered for the first of them, so a
    demo of a thousand articles made from a hundred texts renders a hundred times.
    """
    rendered: dict[tuple[type, str], dict] = {}
    for obj in objects:
        key = (type(obj), getattr(obj, obj.RENDERED_FROM))
        if key in rendered:
            for name, value in rendered[key].items():
                setattr(obj, name, value)
        else:
            obj.render()
            rendered[key] = {name: getattr(obj, name) for name in obj.RENDERED_FIELDS}
    return len(rendered)

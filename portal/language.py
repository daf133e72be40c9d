"""Which language a person reads a name in."""

from django.utils import translation


def in_reader_language(thai: str, english: str) -> str:
    """The one place deciding which name people read: the English one for a reader who chose
    English, when the data has it; the Thai one otherwise (Thai is the source language)."""
    if english and (translation.get_language() or "").startswith("en"):
        return english
    return thai


class BilingualName:
    """For models with `name_th` and `name_en`: `display_name` in the reader's language (their
    `str()` uses it too). Search, sorting and exported records keep using `name_th`."""

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name_th, self.name_en)

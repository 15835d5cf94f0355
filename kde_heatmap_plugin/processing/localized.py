"""Messages whose numbers follow the user's locale: ``1.234,5`` in German, ``1,234.5`` in English.

``LocalizedText(translated).format(...)`` formats like ``str.format`` and then writes each number
with the locale's decimal point and digit grouping (``QLocale()``, which QGIS sets from its
"Override system locale" settings): ``{cell_size:g}`` of 0.25 gives "0,25" in German. Strings,
paths and CRS codes are left as they are; so are numbers formatted in scientific notation's
exponent and integers without a grouping option (row counts, EPSG codes). The translatable
source strings keep Python's format specifications, so their translations do too.
"""

from __future__ import annotations

import string
from typing import Any

from qgis.PyQt.QtCore import QLocale


class _LocaleFormatter(string.Formatter):
    """``string.Formatter`` writing floats (and ints formatted with a grouping option) with
    the locale's decimal point and group separator."""

    def format_field(self, value: Any, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        is_number = isinstance(value, float) or (
            isinstance(value, int) and not isinstance(value, bool) and "," in format_spec
        )
        if not is_number:
            return text
        locale = QLocale()
        decimal_point, group_separator = locale.decimalPoint(), locale.groupSeparator()
        if decimal_point == "." and group_separator == ",":
            return text
        # Python writes "," for groups and "." for the decimal point: swap through a placeholder
        return text.replace(",", "\0").replace(".", decimal_point).replace("\0", group_separator)


_FORMATTER = _LocaleFormatter()


class LocalizedText(str):
    """A translated message whose ``format`` writes numbers for the user's locale."""

    def format(self, *args: Any, **kwargs: Any) -> str:  # noqa: A003 (str's own name)
        return _FORMATTER.vformat(str(self), args, kwargs)

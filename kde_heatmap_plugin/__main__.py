"""``python3 -m kde_heatmap_plugin``: the heatmap on the command line (see :mod:`.cli`)."""

import sys

try:
    from .cli import main
except ImportError as error:  # GDAL's Python bindings (osgeo) or NumPy missing
    sys.exit(f"kde-heatmap: error: {error} (install GDAL's Python bindings and NumPy)")

sys.exit(main())

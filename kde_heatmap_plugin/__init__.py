"""KDE Heatmap: a QGIS Processing provider computing kernel density rasters.

``core`` is pure NumPy; ``sources``, ``rasters``, ``style`` and ``processing`` are the QGIS side.
"""

"""``kdeheatmap:volumecontours``: percent volume contours (home ranges, hotspots) of a raster.

The run: the band read through GDAL (NoData and masked cells as NaN) -> ``core.volume``'s
thresholds ``t_p`` (one sort) -> for each p, GDAL's contouring with polygon output at
``t_p`` on a copy in memory (NoData set below every threshold), the band above it kept as one
(multi)polygon -> features with ``percent``, ``threshold``, ``area`` (map units²) and
``mass_share`` -> optionally the cumulative percentages as the VOLUME raster.
"""

from __future__ import annotations

import math

import numpy as np
from osgeo import gdal, ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBand,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsRasterLayer,
    QgsUnitTypes,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from .. import rasters, style
from ..core import Grid
from ..core.volume import PercentVolume, VolumeError, VolumeProblem, parse_percentages
from ..core.volume import percent_volume as compute_percent_volume
from .base import KdeAlgorithmBase
from .localized import LocalizedText

READ_SHARE = 10.0
"""Percent of the progress bar for reading the raster."""

LEVELS_SHARE = 20.0
"""Percent of the progress bar for the thresholds (the sort)."""

VOLUME_SHARE = 20.0
"""Percent of the progress bar for writing the VOLUME raster (when asked for); the contours
get the rest."""


class KdeVolumeContoursAlgorithm(KdeAlgorithmBase):
    """Polygons enclosing p % of a surface's volume, highest cells first."""

    BAND = "BAND"
    PERCENTAGES = "PERCENTAGES"
    OUTPUT = "OUTPUT"
    VOLUME = "VOLUME"

    def tr(self, text: str) -> str:
        """Translate ``text`` in the context of this class (what pylupdate5 extracts)."""
        return LocalizedText(QCoreApplication.translate(type(self).__name__, text))

    def name(self) -> str:
        return "volumecontours"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Percent volume contours")

    def tags(self) -> list[str]:
        return self.tr(
            "home range,utilisation distribution,hotspot,isopleth,volume,contour,percentile"
        ).split(",")

    def shortDescription(self) -> str:  # noqa: N802
        return self.tr(
            "Polygons enclosing 50 %, 95 %, ... of a density surface's volume (home ranges, "
            "hotspots)."
        )

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "<p>Draws the percent volume contours of a density raster, such as the Density "
            "output of <i>Kernel density heatmap</i>: the home ranges of a utilisation "
            "distribution (as adehabitatHR's getverticeshr and ArcGIS Pro's Volume "
            "Percentile Contours) or the hotspots of a heatmap. The mass of a cell is its "
            "value (negative values count as 0) times its area; taking the cells from the "
            "highest value down, the threshold of p % is the value at which their mass first "
            "reaches p % of the total. The polygon of p % is the region at or above that "
            "threshold, outlined by the contour interpolated between cell centres; cells tied "
            "with the threshold are inside, so it may enclose a little more than p %.</p>"
            "<p><b>Input raster</b>: a raster with a CRS; NoData cells are left out.</p>"
            "<p><b>Band</b>: the band holding the surface (the first when left empty).</p>"
            "<p><b>Percentages (comma-separated)</b>: a list, each greater than 0 and at most "
            "100, for example 50,95.</p>"
            "<p><b>Percent volume contours</b>: one (multi)polygon per percentage, with "
            "fields percent, threshold (the value at the contour), area (square map units) "
            "and mass_share (the share of the total mass it encloses, 0 to 1). A region that "
            "reaches the raster's edge is cut there and reported: the raster's extent (or "
            "the heatmap's radius) is then too small to hold it.</p>"
            "<p><b>Cumulative volume percentage</b> (optional): a raster giving for each cell "
            "the percentage of the total mass held by the cells at or above its value; the "
            "polygon of p % holds the cells up to the percentage its mass_share says.</p>"
        )

    def initAlgorithm(self, config: dict | None = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Input raster")))
        self.addParameter(
            QgsProcessingParameterBand(
                self.BAND,
                self.tr("Band"),
                defaultValue=1,
                parentLayerParameterName=self.INPUT,
                optional=True,  # QGIS 3.22 refuses a missing band despite its default
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.PERCENTAGES, self.tr("Percentages (comma-separated)"), defaultValue="50,95"
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT,
                self.tr("Percent volume contours"),
                QgsProcessing.TypeVectorPolygon,
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                self.VOLUME,
                self.tr("Cumulative volume percentage"),
                optional=True,
                createByDefault=False,
            )
        )

    def processAlgorithm(  # noqa: N802
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        layer = self.parameterAsRasterLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(
                self.tr("Could not load the raster ({value}).").format(
                    value=parameters.get(self.INPUT)
                )
            )
        percentages = self._percentages(parameters, context)
        band_number = self.parameterAsInt(parameters, self.BAND, context) or 1
        volume_path = self.parameterAsOutputLayer(parameters, self.VOLUME, context)
        volume_driver = self._volume_driver(volume_path, layer)
        values, geotransform = self._read_band(layer, band_number)
        feedback.setProgress(READ_SHARE)
        self._stop_if_canceled(feedback)
        cell_area = abs(geotransform[1] * geotransform[5] - geotransform[2] * geotransform[4])
        try:
            levels = compute_percent_volume(
                values, cell_area, percentages, cumulative=bool(volume_path)
            )
        except VolumeError as error:
            raise QgsProcessingException(self._volume_message(error, layer)) from None
        feedback.setProgress(READ_SHARE + LEVELS_SHARE)
        self._stop_if_canceled(feedback)

        fields = QgsFields()
        for name in ("percent", "threshold", "area", "mass_share"):
            fields.append(QgsField(name, QVariant.Double))
        sink, destination = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.MultiPolygon, layer.crs()
        )
        if sink is None:
            raise QgsProcessingException(
                self.tr("Could not create the output layer ({value}).").format(
                    value=parameters.get(self.OUTPUT)
                )
            )
        contour_share = 100.0 - READ_SHARE - LEVELS_SHARE - (VOLUME_SHARE if volume_path else 0)
        units = layer.crs().mapUnits()
        for position in range(len(levels.percent)):
            self._stop_if_canceled(feedback)
            geometry = contour_region(values, geotransform, float(levels.threshold[position]))
            feature = QgsFeature(fields)
            feature.setGeometry(geometry)
            percent = float(levels.percent[position])
            area = geometry.area()
            feature.setAttributes(
                [
                    percent,
                    float(levels.threshold[position]),
                    area,
                    float(levels.mass_share[position]),
                ]
            )
            if not sink.addFeature(feature, QgsFeatureSink.FastInsert):
                raise QgsProcessingException(
                    self.tr("Could not write the polygon of {percent:g} %.").format(percent=percent)
                )
            feedback.pushInfo(
                self.tr(
                    "{percent:g} %: threshold {threshold:.6g}, {share:.3f} % of the mass in "
                    "{cells} cells, area {area:.6g} {units}²."
                ).format(
                    percent=percent,
                    threshold=float(levels.threshold[position]),
                    share=100.0 * float(levels.mass_share[position]),
                    cells=int(levels.cells[position]),
                    area=area,
                    units=QgsUnitTypes.toAbbreviatedString(units),
                )
            )
            if levels.touches_edge[position]:
                feedback.pushWarning(
                    self.tr(
                        "The {percent:g} % region reaches the edge of the raster, so its "
                        "polygon is cut there: the raster's extent (or the heatmap's radius) "
                        "is too small for it."
                    ).format(percent=percent)
                )
            feedback.setProgress(
                READ_SHARE + LEVELS_SHARE + contour_share * (position + 1) / len(levels.percent)
            )
        results = {self.OUTPUT: destination}
        if volume_path:
            self._write_volume(volume_path, volume_driver, levels, geotransform, layer, feedback)
            results[self.VOLUME] = volume_path
        if context.willLoadLayerOnCompletion(destination):
            context.layerToLoadOnCompletionDetails(destination).setPostProcessor(
                style.VolumeContourStylePostProcessor.create(destination, percentages)
            )
        feedback.setProgress(100.0)
        return results

    def _percentages(self, parameters: dict, context: QgsProcessingContext) -> list[float]:
        """PERCENTAGES as numbers; raise with the user's words for a bad list."""
        text = self.parameterAsString(parameters, self.PERCENTAGES, context) or ""
        try:
            return parse_percentages(text)
        except VolumeError as error:
            raise QgsProcessingException(self._volume_message(error, None)) from None

    def _volume_message(self, error: VolumeError, layer: QgsRasterLayer | None) -> str:
        """The user's words for a ``VolumeError``."""
        facts = error.facts
        if error.problem == VolumeProblem.NOT_A_NUMBER:
            return self.tr(
                '"{text}" is not a number. Give the percentages as numbers separated by '
                "commas, for example 50,95."
            ).format(text=facts["text"])
        if error.problem == VolumeProblem.PERCENT_OUT_OF_RANGE:
            return self.tr(
                "{percent:g} is not a usable percentage: each must be greater than 0 and at "
                "most 100."
            ).format(percent=facts["percent"])
        if error.problem == VolumeProblem.NO_PERCENTAGE:
            return self.tr("Give at least one percentage, for example 50,95.")
        if error.problem == VolumeProblem.NO_MASS:
            return self.tr(
                'The raster "{layer}" has no cell above 0 (of its {count} cells with a value), '
                "so it holds no volume to enclose. Choose a density raster."
            ).format(layer=layer.name() if layer else "", count=facts["valid_cells"])
        return self.tr(
            'The cells of "{layer}" have no usable area ({area}). Check its georeferencing.'
        ).format(layer=layer.name() if layer else "", area=facts.get("cell_area"))

    def _read_band(self, layer: QgsRasterLayer, band_number: int) -> tuple[np.ndarray, tuple]:
        """Band ``band_number`` of ``layer`` as floats, NoData as NaN, and its geotransform.

        Raises ``QgsProcessingException`` for a raster without a CRS, one GDAL cannot read,
        and a band it lacks.
        """
        if not layer.crs().isValid():
            raise QgsProcessingException(
                self.tr(
                    'The raster "{layer}" has no coordinate reference system, so its areas '
                    "mean nothing. Set its CRS (Layer Properties > Source) first."
                ).format(layer=layer.name())
            )
        source = layer.source() if layer.providerType() == "gdal" else ""
        dataset = gdal.OpenEx(source, gdal.OF_RASTER) if source else None
        if dataset is None:
            raise QgsProcessingException(
                self.tr(
                    'The raster "{layer}" cannot be read through GDAL (provider {provider}). '
                    "Save it as a GeoTIFF first."
                ).format(layer=layer.name(), provider=layer.providerType())
            )
        if not 1 <= band_number <= dataset.RasterCount:
            raise QgsProcessingException(
                self.tr('The raster "{layer}" has no band {band}.').format(
                    layer=layer.name(), band=band_number
                )
            )
        band = dataset.GetRasterBand(band_number)
        values = band.ReadAsArray()
        if values is None:
            raise QgsProcessingException(
                self.tr('Could not read band {band} of "{layer}".').format(
                    layer=layer.name(), band=band_number
                )
            )
        if values.dtype not in (np.float32, np.float64):
            values = values.astype(np.float64)
        if not band.GetMaskFlags() & gdal.GMF_ALL_VALID:
            values[band.GetMaskBand().ReadAsArray() == 0] = np.nan
        values[~np.isfinite(values)] = np.nan
        return values, dataset.GetGeoTransform()

    def _volume_driver(self, path: str, layer: QgsRasterLayer) -> str:
        """The GDAL driver for the VOLUME raster at ``path`` (empty when not asked for)."""
        if not path:
            return ""
        try:
            return rasters.check_destination(path, input_paths=[layer.source()])
        except rasters.DestinationError as error:
            raise QgsProcessingException(self._destination_message(error)) from None

    def _write_volume(
        self,
        path: str,
        driver_name: str,
        levels: PercentVolume,
        geotransform: tuple,
        layer: QgsRasterLayer,
        feedback: QgsProcessingFeedback,
    ) -> None:
        """Write the cumulative percentages at ``path`` (NoData NaN)."""
        x_min, width, x_skew, y_max, y_skew, height = geotransform
        if x_skew or y_skew or not math.isclose(width, -height, rel_tol=1e-9):
            raise QgsProcessingException(
                self.tr(
                    "The cumulative volume raster needs square, north-up cells; those of "
                    '"{layer}" are not. Leave that output empty, or warp the raster first.'
                ).format(layer=layer.name())
            )
        rows, cols = levels.cumulative.shape
        grid = Grid(x_min=x_min, y_max=y_max, cell_size=width, rows=rows, cols=cols)
        try:
            rasters.write_raster(
                path,
                [(0, levels.cumulative)],
                grid,
                layer.crs().toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED_GDAL),
                driver_name=driver_name,
                progress=self._progress(feedback, 100.0 - VOLUME_SHARE, VOLUME_SHARE),
                band_description=self.tr("Cumulative volume percentage"),
                nodata=math.nan,
            )
        except OSError as error:
            raise QgsProcessingException(
                self.tr('Could not write the raster "{path}": {reason}.').format(
                    path=path, reason=error
                )
            ) from None
        except rasters.DestinationError as error:
            raise QgsProcessingException(self._destination_message(error)) from None

    def _stop_if_canceled(self, feedback: QgsProcessingFeedback) -> None:
        if feedback.isCanceled():
            raise QgsProcessingException(self.tr("Cancelled."))


def contour_region(values: np.ndarray, geotransform: tuple, threshold: float) -> QgsGeometry:
    """The region ``{values >= threshold}`` outlined by GDAL's interpolated contour.

    ``values`` (NaN = NoData, set below every threshold here) are copied into a MEM raster with
    ``geotransform``; ``gdal.ContourGenerateEx`` with ``POLYGONIZE=YES`` and the single level
    just below ``threshold`` (so cells equal to it are inside) gives the bands below and
    above; the one containing the highest cell's centre is returned, as a multipolygon in the
    raster's map units (cut at the raster's edges). ``threshold`` must be positive.
    """
    finite = values[~np.isnan(values)]
    low = min(0.0, float(finite.min()))  # every threshold is above 0
    filled = np.where(np.isnan(values), low, values).astype(np.float64)
    rows, cols = filled.shape
    dataset = gdal.GetDriverByName("MEM").Create("", cols, rows, 1, gdal.GDT_Float64)
    dataset.SetGeoTransform(geotransform)
    band = dataset.GetRasterBand(1)
    band.WriteArray(filled)
    vectors = ogr.GetDriverByName("Memory").CreateDataSource("contours")
    contours = vectors.CreateLayer("contours", geom_type=ogr.wkbMultiPolygon)
    contours.CreateField(ogr.FieldDefn("id", ogr.OFTInteger))
    level = float(np.nextafter(threshold, -math.inf))
    status = gdal.ContourGenerateEx(
        band, contours, options=[f"FIXED_LEVELS={level!r}", "POLYGONIZE=YES", "ID_FIELD=0"]
    )
    if status != 0:
        raise QgsProcessingException(gdal.GetLastErrorMsg() or "GDAL contouring failed")
    row, col = np.unravel_index(int(np.argmax(filled)), filled.shape)
    x = geotransform[0] + (col + 0.5) * geotransform[1] + (row + 0.5) * geotransform[2]
    y = geotransform[3] + (col + 0.5) * geotransform[4] + (row + 0.5) * geotransform[5]
    peak = ogr.Geometry(ogr.wkbPoint)
    peak.AddPoint_2D(x, y)
    for feature in contours:
        shape = feature.GetGeometryRef()
        if shape is not None and shape.Contains(peak):
            geometry = QgsGeometry()
            geometry.fromWkb(bytes(shape.ExportToIsoWkb()))
            geometry.convertToMultiType()
            return geometry
    raise QgsProcessingException(f"no contour polygon holds the peak at {x}, {y}")

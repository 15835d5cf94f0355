<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>KdeHeatmapAlgorithm</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="123"/>
        <source>Kernel density heatmap</source>
        <translation>Kerndichte-Heatmap</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="126"/>
        <source>heatmap,kde,kernel density,hotspot,density</source>
        <translation>Heatmap,KDE,Kerndichte,Hotspot,Dichte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="132"/>
        <source>&lt;p&gt;Turns a point layer into a kernel density raster (a heatmap), styled with a colour ramp. Each point spreads its weight over the cells whose centre lies within the radius; values are computed exactly at the cell centres.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Point layer&lt;/b&gt;: points or multipoints (every part counts). Use a projected CRS: radius and cell size are in the layer&apos;s units. Features with a NULL geometry, weight or radius are skipped and counted.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius&lt;/b&gt;: how far a point&apos;s influence reaches, in layer units. Larger radii give smoother surfaces.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius from field&lt;/b&gt; (optional): a numeric field with a radius per feature; overrides Radius. Features with a radius of zero or less are skipped.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output raster size&lt;/b&gt;: the side of a square cell, in layer units. A radius of 10 to 100 cells is typical; smaller cells give larger files.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Weight from field&lt;/b&gt; (optional): a numeric field multiplying each point&apos;s contribution. Zero weights contribute nothing; negative weights subtract.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kernel shape&lt;/b&gt;: Quartic (default, smooth), Triangular, Uniform, Triweight, Epanechnikov or Gaussian (standard deviation = radius / 3, cut at the radius).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Decay ratio (Triangular kernels only)&lt;/b&gt;: the kernel&apos;s value at the radius, relative to the centre (0: falls to zero; 1: flat; negative: below zero near the edge).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output value scaling&lt;/b&gt;: Raw (sum of weighted kernel values), Scaled (raw times the constants of the native QGIS heatmap), Density (weight per square layer unit; integrates to the total weight) or Expected count per cell (density times the cell area).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Heatmap&lt;/b&gt;: the output raster. GeoTIFF (Float32) by default; other GDAL formats by file extension. Cells no point reaches hold 0. A .qml style file with the same name is written beside it.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Colour ramp&lt;/b&gt;: name of a colour ramp of your QGIS style (for example Viridis, Magma, Inferno, Turbo, Reds), stretched from 0 (transparent) to the maximum.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Erzeugt aus einem Punktlayer ein Kerndichteraster (eine Heatmap), gestaltet mit einem Farbverlauf. Jeder Punkt verteilt sein Gewicht auf die Zellen, deren Mittelpunkt innerhalb des Radius liegt; die Werte werden exakt in den Zellmittelpunkten berechnet.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Punktlayer&lt;/b&gt;: Punkte oder Multipunkte (jeder Teil zählt). Verwenden Sie ein projiziertes KBS: Radius und Zellgröße sind in den Einheiten des Layers. Objekte mit NULL-Geometrie, -Gewicht oder -Radius werden übersprungen und gezählt.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius&lt;/b&gt;: wie weit der Einfluss eines Punktes reicht, in Layereinheiten. Größere Radien ergeben glattere Oberflächen.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius aus Feld&lt;/b&gt; (optional): ein numerisches Feld mit einem Radius je Objekt; ersetzt den Radius. Objekte mit einem Radius von null oder weniger werden übersprungen.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ausgaberastergröße&lt;/b&gt;: die Seitenlänge einer quadratischen Zelle in Layereinheiten. Üblich ist ein Radius von 10 bis 100 Zellen; kleinere Zellen ergeben größere Dateien.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Gewicht aus Feld&lt;/b&gt; (optional): ein numerisches Feld, mit dem der Beitrag jedes Punktes multipliziert wird. Gewichte von null tragen nichts bei; negative Gewichte ziehen ab.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kernform&lt;/b&gt;: Quartisch (Standard, glatt), Dreieck, Gleichförmig, Triweight, Epanechnikov oder Gauß (Standardabweichung = Radius / 3, am Radius abgeschnitten).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Abklingrate (nur Dreieckskerne)&lt;/b&gt;: der Wert des Kerns am Radius relativ zur Mitte (0: fällt auf null; 1: flach; negativ: nahe dem Rand unter null).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Skalierung der Ausgabewerte&lt;/b&gt;: Rohwerte (Summe der gewichteten Kernwerte), Skaliert (Rohwerte mal die Konstanten der nativen QGIS-Heatmap), Dichte (Gewicht je Quadrat-Layereinheit; integriert sich zum Gesamtgewicht) oder Erwartete Anzahl je Zelle (Dichte mal Zellfläche).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Heatmap&lt;/b&gt;: das Ausgaberaster. Standardmäßig GeoTIFF (Float32); andere GDAL-Formate über die Dateiendung. Zellen, die kein Punkt erreicht, enthalten 0. Daneben wird eine gleichnamige .qml-Stildatei geschrieben.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Farbverlauf&lt;/b&gt;: Name eines Farbverlaufs Ihres QGIS-Stils (zum Beispiel Viridis, Magma, Inferno, Turbo, Reds), gestreckt von 0 (transparent) bis zum Maximum.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="164"/>
        <source>Point layer</source>
        <translation>Punktlayer</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="169"/>
        <source>Radius</source>
        <translation>Radius</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="172"/>
        <source>Radius from field</source>
        <translation>Radius aus Feld</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="181"/>
        <source>Output raster size</source>
        <translation>Ausgaberastergröße</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="189"/>
        <source>Weight from field</source>
        <translation>Gewicht aus Feld</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="198"/>
        <source>Kernel shape</source>
        <translation>Kernform</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="203"/>
        <source>Decay ratio (Triangular kernels only)</source>
        <translation>Abklingrate (nur Dreieckskerne)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="214"/>
        <source>Output value scaling</source>
        <translation>Skalierung der Ausgabewerte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="222"/>
        <source>Heatmap</source>
        <translation>Heatmap</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="223"/>
        <source>Colour ramp</source>
        <translation>Farbverlauf</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="251"/>
        <source>Could not load the point layer ({value}). Check that it exists and is a vector layer.</source>
        <translation>Der Punktlayer ({value}) konnte nicht geladen werden. Prüfen Sie, ob er existiert und ein Vektorlayer ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="264"/>
        <source>Cancelled: no output was written.</source>
        <translation>Abgebrochen: Es wurde keine Ausgabe geschrieben.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="278"/>
        <source>The radius must be greater than 0 (it is {radius}). Enter the distance a point influences, in the layer&apos;s units, or pick a radius field.</source>
        <translation>Der Radius muss größer als 0 sein (er ist {radius}). Geben Sie die Entfernung, die ein Punkt beeinflusst, in den Einheiten des Layers an, oder wählen Sie ein Radiusfeld.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="286"/>
        <source>The output raster size (cell size) must be greater than 0 (it is {cell_size}). Enter the side of a cell in the layer&apos;s units, for example a tenth of the radius.</source>
        <translation>Die Ausgaberastergröße (Zellgröße) muss größer als 0 sein (sie ist {cell_size}). Geben Sie die Seitenlänge einer Zelle in den Einheiten des Layers an, zum Beispiel ein Zehntel des Radius.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="309"/>
        <source>There is no colour ramp named &quot;{name}&quot; in your QGIS style. Use one of: {names}.</source>
        <translation>In Ihrem QGIS-Stil gibt es keinen Farbverlauf namens „{name}“. Verwenden Sie einen dieser: {names}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="318"/>
        <source>Cannot write 32-bit floating point rasters to &quot;{path}&quot;. Use a .tif file (GeoTIFF) or another raster format that stores decimals.</source>
        <translation>In „{path}“ können keine 32-Bit-Gleitkommaraster geschrieben werden. Verwenden Sie eine .tif-Datei (GeoTIFF) oder ein anderes Rasterformat, das Dezimalzahlen speichert.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="328"/>
        <source>The output folder &quot;{folder}&quot; does not exist. Create it or choose another output file.</source>
        <translation>Der Ausgabeordner „{folder}“ existiert nicht. Legen Sie ihn an oder wählen Sie eine andere Ausgabedatei.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="335"/>
        <source>Cannot write in the output folder &quot;{folder}&quot; ({reason}). Choose a folder where you have write permission.</source>
        <translation>Im Ausgabeordner „{folder}“ kann nicht geschrieben werden ({reason}). Wählen Sie einen Ordner, in dem Sie Schreibrechte haben.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="368"/>
        <source>The layer&apos;s CRS {crs} is geographic: the radius ({radius}) and the cell size ({cell_size}) are in degrees, and a degree of longitude shrinks away from the equator. Reproject the layer to a projected CRS in metres (for example its UTM zone) for a meaningful density.</source>
        <translation>Das KBS des Layers, {crs}, ist geographisch: Radius ({radius}) und Zellgröße ({cell_size}) sind in Grad angegeben, und ein Längengrad wird abseits des Äquators kürzer. Projizieren Sie den Layer in ein projiziertes KBS in Metern (zum Beispiel seine UTM-Zone), um eine aussagekräftige Dichte zu erhalten.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="385"/>
        <source>Read {points} points from {features} features ({method}).</source>
        <translation>{points} Punkte aus {features} Objekten gelesen ({method}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="385"/>
        <source>bulk GDAL read</source>
        <translation>GDAL-Blocklesen</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="385"/>
        <source>feature iterator</source>
        <translation>Objekt-Iterator</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="399"/>
        <source>{count} points have a negative weight: they lower the density around them, and cells can end up below 0.</source>
        <translation>{count} Punkte haben ein negatives Gewicht: Sie senken die Dichte in ihrer Umgebung, und Zellen können unter 0 fallen.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="405"/>
        <source>Computing a {rows} x {cols} raster (cell size {cell_size}).</source>
        <translation>Berechne ein Raster mit {rows} x {cols} Zellen (Zellgröße {cell_size}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="437"/>
        <source>Could not write the raster &quot;{path}&quot;: {reason}</source>
        <translation>Das Raster „{path}“ konnte nicht geschrieben werden: {reason}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="447"/>
        <source>The raster was written but its style file could not be saved: {reason}</source>
        <translation>Das Raster wurde geschrieben, aber seine Stildatei konnte nicht gespeichert werden: {reason}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="457"/>
        <source>&quot;{layer}&quot; is a {geometry} layer, but a heatmap needs points. Choose a point layer, or turn polygons or lines into points first (for example with &quot;Centroids&quot;).</source>
        <translation>„{layer}“ ist ein {geometry}-Layer, eine Heatmap braucht aber Punkte. Wählen Sie einen Punktlayer oder wandeln Sie Polygone oder Linien zuerst in Punkte um (zum Beispiel mit „Zentroide“).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="470"/>
        <source>The layer has no numeric field &quot;{field}&quot;. Choose a numeric field or leave the parameter empty.</source>
        <translation>Der Layer hat kein numerisches Feld „{field}“. Wählen Sie ein numerisches Feld oder lassen Sie den Parameter leer.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="486"/>
        <source>{count} features skipped because their geometry is NULL, empty or not a point.</source>
        <translation>{count} Objekte übersprungen, weil ihre Geometrie NULL, leer oder kein Punkt ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="492"/>
        <source>{count} features skipped because their weight ({field}) is NULL.</source>
        <translation>{count} Objekte übersprungen, weil ihr Gewicht ({field}) NULL ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="496"/>
        <source>{count} features skipped because their radius ({field}) is NULL.</source>
        <translation>{count} Objekte übersprungen, weil ihr Radius ({field}) NULL ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="500"/>
        <source>{count} features skipped because their radius ({field}) is 0 or negative.</source>
        <translation>{count} Objekte übersprungen, weil ihr Radius ({field}) 0 oder negativ ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="514"/>
        <source>The point layer has no features (or none is selected / passes the filter). Choose a layer with points.</source>
        <translation>Der Punktlayer hat keine Objekte (oder keines ist ausgewählt bzw. passiert den Filter). Wählen Sie einen Layer mit Punkten.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="521"/>
        <source>The radius field &quot;{field}&quot; has no value greater than 0. Choose a field holding positive distances, or use a fixed radius.</source>
        <translation>Das Radiusfeld „{field}“ hat keinen Wert größer als 0. Wählen Sie ein Feld mit positiven Entfernungen oder verwenden Sie einen festen Radius.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="527"/>
        <source>None of the {count} features has a usable point (see the warnings above). Fix the NULL geometries or values, or choose other fields.</source>
        <translation>Keines der {count} Objekte hat einen verwendbaren Punkt (siehe die Warnungen oben). Beheben Sie die NULL-Geometrien oder -Werte oder wählen Sie andere Felder.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="553"/>
        <source>The output would be {rows} x {cols} cells and needs about {needed:.1f} GB of memory, but only {limit:.1f} GB may be used. Use a larger output raster size (cell size), for example {suggested:g}.</source>
        <translation>Die Ausgabe hätte {rows} x {cols} Zellen und bräuchte etwa {needed:.1f} GB Arbeitsspeicher, es dürfen aber nur {limit:.1f} GB verwendet werden. Verwenden Sie eine größere Ausgaberastergröße (Zellgröße), zum Beispiel {suggested:g}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="577"/>
        <source>The radius ({radius:g}) is smaller than the cell size ({cell_size:g}): most points will not reach a cell centre and the surface will be mostly empty. Use a smaller cell size or a larger radius.</source>
        <translation>Der Radius ({radius:g}) ist kleiner als die Zellgröße ({cell_size:g}): Die meisten Punkte erreichen keinen Zellmittelpunkt, und die Oberfläche bleibt größtenteils leer. Verwenden Sie eine kleinere Zellgröße oder einen größeren Radius.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="586"/>
        <source>The radius ({radius:g}) spans {cells:.0f} cells: this will be slow. A radius of 10 to 100 cells is usually enough; consider a cell size of {suggested:g}.</source>
        <translation>Der Radius ({radius:g}) umfasst {cells:.0f} Zellen: Das wird langsam. Ein Radius von 10 bis 100 Zellen reicht meist aus; erwägen Sie eine Zellgröße von {suggested:g}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="622"/>
        <source>{value} is not a valid {parameter}. Use one of: {choices}.</source>
        <translation>{value} ist kein gültiger Wert für {parameter}. Verwenden Sie einen dieser: {choices}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="632"/>
        <source>Quartic</source>
        <translation>Quartisch</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="633"/>
        <source>Triangular</source>
        <translation>Dreieck</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="634"/>
        <source>Uniform</source>
        <translation>Gleichförmig</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="635"/>
        <source>Triweight</source>
        <translation>Triweight</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="636"/>
        <source>Epanechnikov</source>
        <translation>Epanechnikov</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="637"/>
        <source>Gaussian</source>
        <translation>Gauß</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="643"/>
        <source>Raw</source>
        <translation>Rohwerte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="644"/>
        <source>Scaled</source>
        <translation>Skaliert</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="645"/>
        <source>Density</source>
        <translation>Dichte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="646"/>
        <source>Expected count per cell</source>
        <translation>Erwartete Anzahl je Zelle</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="300"/>
        <source>With a decay of {decay} the triangular kernel does not integrate to a positive number, so it cannot be turned into a density. Use a decay above -0.5, or the Raw or Scaled output.</source>
        <translation>Mit einem Abfall von {decay} ergibt das Integral des Dreieckskerns keine positive Zahl, daher lässt er sich nicht in eine Dichte umrechnen. Verwenden Sie einen Abfall über -0,5 oder die Ausgabe „Rohwerte“ oder „Skaliert“.</translation>
    </message>
</context>
<context>
    <name>KdeHeatmapProvider</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/provider.py" line="23"/>
        <source>KDE Heatmap</source>
        <translation>KDE-Heatmap</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/provider.py" line="26"/>
        <source>KDE Heatmap: styled kernel density rasters</source>
        <translation>KDE-Heatmap: gestaltete Kerndichteraster</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ColorRampWidgetWrapper</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="849"/>
        <source>Color ramps of your QGIS style</source>
        <translation>Farbverläufe Ihres QGIS-Stils</translation>
    </message>
</context>
<context>
    <name>ComputationDistanceWidgetWrapper</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="680"/>
        <source>Geodesic method: the radius is a distance on the WGS84 ellipsoid, in meters.</source>
        <translation>Geodätische Methode: Der Radius ist eine Entfernung auf dem WGS84-Ellipsoid, in Metern.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="683"/>
        <source>Geodesic method: the raster is a regular longitude/latitude grid, so the cell size is in degrees.</source>
        <translation>Geodätische Methode: Das Raster ist ein regelmäßiges Längen-/Breitengitter, daher ist die Zellgröße in Grad angegeben.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="688"/>
        <source>The layer is in longitude/latitude: its points are projected to a local CRS in meters (the UTM zone of the data, or a Lambert azimuthal equal-area CRS), so this distance is in meters.</source>
        <translation>Der Layer ist in geographischen Koordinaten (Länge/Breite): Seine Punkte werden in ein lokales KBS in Metern projiziert (die UTM-Zone der Daten oder eine flächentreue azimutale Lambert-Projektion), daher ist diese Entfernung in Metern.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="695"/>
        <source>The output CRS is in longitude/latitude: choose a projected output CRS, or the geodesic distance method.</source>
        <translation>Das Ausgabe-KBS ist in geographischen Koordinaten (Länge/Breite): Wählen Sie ein projiziertes Ausgabe-KBS oder die geodätische Entfernungsmethode.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="699"/>
        <source>In the units of the output CRS ({unit}).</source>
        <translation>In den Einheiten des Ausgabe-KBS ({unit}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="703"/>
        <source>In the units of the layer&apos;s CRS ({unit}).</source>
        <translation>In den Einheiten des Layer-KBS ({unit}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="706"/>
        <source>Choose a point layer: distances are in the units of its CRS.</source>
        <translation>Wählen Sie einen Punktlayer: Entfernungen sind in den Einheiten seines KBS.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="754"/>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="451"/>
        <source>Empty (Automatic): the algorithm chooses a value from the data.</source>
        <translation>Leer (Automatisch): Der Algorithmus wählt einen Wert aus den Daten.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="463"/>
        <source>Rows of the raster</source>
        <translation>Zeilen des Rasters</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="464"/>
        <source>Columns of the raster</source>
        <translation>Spalten des Rasters</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="469"/>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="469"/>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="483"/>
        <source>Typing a number sets the cell size.</source>
        <translation>Eine eingegebene Zahl legt die Zellgröße fest.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="606"/>
        <source>Automatic: {size} {unit}</source>
        <translation>Automatisch: {size} {unit}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="610"/>
        <source>Automatic: chosen when the algorithm runs (about {cells} cells on the longer side)</source>
        <translation>Automatisch: wird beim Ausführen gewählt (etwa {cells} Zellen auf der längeren Seite)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="616"/>
        <source>Without the margin of the automatic radius</source>
        <translation>Ohne den Rand des automatischen Radius</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/widgets.py" line="625"/>
        <source>Too many cells for a raster file</source>
        <translation>Zu viele Zellen für eine Rasterdatei</translation>
    </message>
</context>
<context>
    <name>HeatmapSizing</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_sizing.py" line="124"/>
        <source>A cell size of {cell_size:g} makes the raster {rows:.3g} x {cols:.3g} cells, more than a raster file can hold ({limit} rows or columns). Use a larger output raster size (cell size), for example {suggested:g}.</source>
        <translation>Mit einer Zellgröße von {cell_size:g} hätte das Raster {rows:.3g} x {cols:.3g} Zellen, mehr als eine Rasterdatei fassen kann ({limit} Zeilen oder Spalten). Verwenden Sie eine größere Ausgaberastergröße (Zellgröße), zum Beispiel {suggested:g}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_sizing.py" line="140"/>
        <source>The output would be {rows} x {cols} cells and needs about {needed:.1f} GB of memory, but only {limit:.1f} GB may be used. Use a larger output raster size (cell size), for example {suggested:g}.</source>
        <translation>Die Ausgabe hätte {rows} x {cols} Zellen und bräuchte etwa {needed:.1f} GB Arbeitsspeicher, es dürfen aber nur {limit:.1f} GB verwendet werden. Verwenden Sie eine größere Ausgaberastergröße (Zellgröße), zum Beispiel {suggested:g}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_sizing.py" line="156"/>
        <source>The {rows} x {cols} raster would take about {hours:.1f} hours to compute (estimated). Use a larger output raster size (cell size), for example {suggested:g}, which takes at most a few minutes.</source>
        <translation>Die Berechnung des Rasters mit {rows} x {cols} Zellen würde geschätzt etwa {hours:.1f} Stunden dauern. Verwenden Sie eine größere Ausgaberastergröße (Zellgröße), zum Beispiel {suggested:g}, was höchstens einige Minuten dauert.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_sizing.py" line="171"/>
        <source>The {rows} x {cols} raster needs at least {needed:.3g} GB on disk, but only {free:.3g} GB are free in the folder of &quot;{path}&quot;. Free some space, choose another folder, or use a larger output raster size (cell size), for example {suggested:g}.</source>
        <translation>Das Raster mit {rows} x {cols} Zellen braucht mindestens {needed:.3g} GB auf dem Datenträger, im Ordner von „{path}“ sind aber nur {free:.3g} GB frei. Schaffen Sie Platz, wählen Sie einen anderen Ordner oder eine größere Ausgaberastergröße (Zellgröße), zum Beispiel {suggested:g}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_sizing.py" line="229"/>
        <source>Feature {feature} has a radius ({field}) of {largest:g}, while half of the radii are at most {typical:g}: check that value, or filter it out.</source>
        <translation>Objekt {feature} hat einen Radius ({field}) von {largest:g}, während die Hälfte der Radien höchstens {typical:g} beträgt: Prüfen Sie diesen Wert oder filtern Sie ihn heraus.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_sizing.py" line="108"/>
        <source>The radius ({radius:g}) is {ratio:.3g} times the extent of the points ({width:g} x {height:g}): the raster would reach {cells:.3g} cells beyond the points on every side, more than a raster file can hold. Enter the radius in map units (metres for a layer in degrees), as a distance comparable to the spacing of the points.</source>
        <translation>Der Radius ({radius:g}) ist {ratio:.3g}-mal so groß wie die Ausdehnung der Punkte ({width:g} x {height:g}): Das Raster würde auf jeder Seite {cells:.3g} Zellen über die Punkte hinausreichen, mehr als eine Rasterdatei fassen kann. Geben Sie den Radius in Karteneinheiten an (Meter bei einem Layer in Grad), als Entfernung in der Größenordnung der Punktabstände.</translation>
    </message>
</context>
<context>
    <name>KdeAlgorithmBase</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="76"/>
        <source>Density surfaces</source>
        <translation>Dichteoberflächen</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="83"/>
        <source>Point layer</source>
        <translation>Punktlayer</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="89"/>
        <source>Weight from field</source>
        <translation>Gewicht aus Feld</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="101"/>
        <source>Kernel shape</source>
        <translation>Kernform</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="108"/>
        <source>&quot;{layer}&quot; is a {geometry} layer, but a heatmap needs points. Choose a point layer, or turn polygons or lines into points first (for example with &quot;Centroids&quot;).</source>
        <translation>„{layer}“ ist ein {geometry}-Layer, eine Heatmap braucht aber Punkte. Wählen Sie einen Punktlayer oder wandeln Sie Polygone oder Linien zuerst in Punkte um (zum Beispiel mit „Zentroide“).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="121"/>
        <source>The layer has no numeric field &quot;{field}&quot;. Choose a numeric field or leave the parameter empty.</source>
        <translation>Der Layer hat kein numerisches Feld „{field}“. Wählen Sie ein numerisches Feld oder lassen Sie den Parameter leer.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="137"/>
        <source>{count} features have an infinite x or y coordinate, which usually comes from a failed reprojection or a broken import. Fix those geometries, or leave them out with a filter such as abs(x($geometry)) &lt; 1e300 AND abs(y($geometry)) &lt; 1e300.</source>
        <translation>{count} Objekte haben eine unendliche x- oder y-Koordinate, meist die Folge einer fehlgeschlagenen Umprojektion oder eines fehlerhaften Imports. Korrigieren Sie diese Geometrien oder lassen Sie sie mit einem Filter wie abs(x($geometry)) &lt; 1e300 AND abs(y($geometry)) &lt; 1e300 weg.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="146"/>
        <source>{count} features skipped because their geometry is NULL, empty, unreadable or not a point.</source>
        <translation>{count} Objekte übersprungen, weil ihre Geometrie NULL, leer, unlesbar oder kein Punkt ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="154"/>
        <source>{count} features skipped because their weight ({field}) is NULL.</source>
        <translation>{count} Objekte übersprungen, weil ihr Gewicht ({field}) NULL ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="161"/>
        <source>{count} features skipped because their weight ({field}) is not a finite number (NaN or infinity).</source>
        <translation>{count} Objekte übersprungen, weil ihr Gewicht ({field}) keine endliche Zahl ist (NaN oder unendlich).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="169"/>
        <source>{count} features skipped because their radius ({field}) is NULL.</source>
        <translation>{count} Objekte übersprungen, weil ihr Radius ({field}) NULL ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="176"/>
        <source>{count} features skipped because their radius ({field}) is not a finite number (NaN or infinity).</source>
        <translation>{count} Objekte übersprungen, weil ihr Radius ({field}) keine endliche Zahl ist (NaN oder unendlich).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="184"/>
        <source>{count} features skipped because their radius ({field}) is 0 or negative.</source>
        <translation>{count} Objekte übersprungen, weil ihr Radius ({field}) 0 oder negativ ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="198"/>
        <source>The point layer has no features (or none is selected / passes the filter). Choose a layer with points.</source>
        <translation>Der Punktlayer hat keine Objekte (oder keines ist ausgewählt bzw. passiert den Filter). Wählen Sie einen Layer mit Punkten.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="205"/>
        <source>The radius field &quot;{field}&quot; has no value greater than 0. Choose a field holding positive distances, or use a fixed radius.</source>
        <translation>Das Radiusfeld „{field}“ hat keinen Wert größer als 0. Wählen Sie ein Feld mit positiven Entfernungen oder verwenden Sie einen festen Radius.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="211"/>
        <source>None of the {count} features has a usable point (see the warnings above). Fix the NULL or non-finite geometries or values, or choose other fields.</source>
        <translation>Keines der {count} Objekte hat einen verwendbaren Punkt (siehe die Warnungen oben). Korrigieren Sie die NULL- oder nicht endlichen Geometrien oder Werte, oder wählen Sie andere Felder.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="230"/>
        <source>{value} is not a valid {parameter}. Use one of: {choices}.</source>
        <translation>{value} ist kein gültiger Wert für {parameter}. Verwenden Sie einen dieser: {choices}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="241"/>
        <source>Quartic</source>
        <translation>Quartisch</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="242"/>
        <source>Triangular</source>
        <translation>Dreieck</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="243"/>
        <source>Uniform</source>
        <translation>Gleichförmig</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="244"/>
        <source>Triweight</source>
        <translation>Triweight</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="245"/>
        <source>Epanechnikov</source>
        <translation>Epanechnikov</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="246"/>
        <source>Gaussian</source>
        <translation>Gauß</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="310"/>
        <source>The points spread so far that distances in {crs} are off by up to {percent:.1f} % at the farthest points. Use the geodesic distance method, or an output CRS suited to the area.</source>
        <translation>Die Punkte liegen so weit auseinander, dass Entfernungen in {crs} an den entferntesten Punkten um bis zu {percent:.1f} % abweichen. Verwenden Sie die geodätische Entfernungsmethode oder ein für das Gebiet geeignetes Ausgabe-KBS.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="333"/>
        <source>The points&apos; longitudes and latitudes in {crs} are used as they are by the geodesic method.</source>
        <translation>Die geographischen Längen und Breiten der Punkte in {crs} werden von der geodätischen Methode unverändert verwendet.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="338"/>
        <source>The points were transformed from {layer} to longitude and latitude in {crs} for the geodesic method.</source>
        <translation>Die Punkte wurden für die geodätische Methode von {layer} in Länge und Breite in {crs} transformiert.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="343"/>
        <source>Computing in the layer&apos;s CRS {crs}: the radius and the cell size are in {units}.</source>
        <translation>Berechnung im KBS des Layers {crs}: Radius und Zellgröße sind in {units}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="347"/>
        <source>The points were transformed from {layer} to the output CRS {crs}: the radius, the cell size and the raster are in {units}.</source>
        <translation>Die Punkte wurden von {layer} in das Ausgabe-KBS {crs} transformiert: Radius, Zellgröße und Raster sind in {units}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="352"/>
        <source>The layer&apos;s CRS {layer} is in degrees, so the points were projected to {crs}, the UTM zone of their centre: they span {span:.2f} degrees of longitude, within the zone and its margin of {margin:g} degrees. The radius, the cell size and the raster are in metres; distances are right within {error:.2f} %.</source>
        <translation>Das KBS des Layers {layer} ist in Grad, daher wurden die Punkte nach {crs} projiziert, in die UTM-Zone ihres Mittelpunkts: Sie umfassen {span:.2f} Grad geographischer Länge, innerhalb der Zone und ihres Randes von {margin:g} Grad. Radius, Zellgröße und Raster sind in Metern; Entfernungen stimmen auf {error:.2f} %.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="365"/>
        <source>they reach latitude {latitude:.1f}, beyond UTM&apos;s 80 degrees south to 84 degrees north</source>
        <translation>sie bis zur Breite {latitude:.1f} reichen, außerhalb des UTM-Bereichs von 80 Grad Süd bis 84 Grad Nord</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="374"/>
        <source>they span {span:.2f} degrees of longitude, more than a UTM zone and its margin ({limit:g} degrees)</source>
        <translation>sie {span:.2f} Grad geographischer Länge umfassen, mehr als eine UTM-Zone mit ihrem Rand ({limit:g} Grad)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="378"/>
        <source>The layer&apos;s CRS {layer} is in degrees, so the points were projected to a Lambert azimuthal equal-area CRS centred on longitude {longitude:.4f}, latitude {latitude:.4f} (WGS 84), because {why}. The radius, the cell size and the raster are in metres; areas are exact and distances right within {error:.2f} %.</source>
        <translation>Das KBS des Layers {layer} ist in Grad, daher wurden die Punkte in eine flächentreue azimutale Lambert-Projektion mit Mittelpunkt Länge {longitude:.4f}, Breite {latitude:.4f} (WGS 84) projiziert, weil {why}. Radius, Zellgröße und Raster sind in Metern; Flächen sind exakt und Entfernungen stimmen auf {error:.2f} %.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="398"/>
        <source>The output CRS{detail} is in degrees: a planar heatmap needs a projected CRS, whose units (usually metres) the radius and cell size are given in. Choose a projected CRS (for example EPSG:3857 or your national grid), or leave it empty to have a local projection chosen.</source>
        <translation>Das Ausgabe-KBS{detail} ist in Grad: Eine ebene Heatmap braucht ein projiziertes KBS, in dessen Einheiten (meist Meter) Radius und Zellgröße angegeben werden. Wählen Sie ein projiziertes KBS (zum Beispiel EPSG:3857 oder Ihr Landeskoordinatensystem) oder lassen Sie es leer, damit eine lokale Projektion gewählt wird.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="404"/>
        <source>The geodesic method computes on a longitude/latitude grid, but the output CRS{detail} is projected. Leave the output CRS empty (WGS 84 is used) or choose a geographic CRS.</source>
        <translation>Die geodätische Methode rechnet auf einem Längen-/Breitengitter, aber das Ausgabe-KBS{detail} ist projiziert. Lassen Sie das Ausgabe-KBS leer (dann wird WGS 84 verwendet) oder wählen Sie ein geographisches KBS.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="409"/>
        <source>The output CRS{detail} is not valid. Choose another one, or leave it empty.</source>
        <translation>Das Ausgabe-KBS{detail} ist ungültig. Wählen Sie ein anderes oder lassen Sie es leer.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="412"/>
        <source>The point layer has no valid CRS{detail}, so its points cannot be transformed. Set the layer&apos;s CRS (Layer Properties &gt; Source), or leave the output CRS empty.</source>
        <translation>Der Punktlayer hat kein gültiges KBS{detail}, daher können seine Punkte nicht transformiert werden. Legen Sie das KBS des Layers fest (Layereigenschaften &gt; Quelle) oder lassen Sie das Ausgabe-KBS leer.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="417"/>
        <source>The points could not be transformed from {layer}: PROJ failed for the point at{detail}. Check the layer&apos;s CRS and its coordinates.</source>
        <translation>Die Punkte konnten nicht aus {layer} transformiert werden: PROJ schlug beim Punkt bei{detail} fehl. Prüfen Sie das KBS des Layers und seine Koordinaten.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="421"/>
        <source>The layer {layer} is in degrees but has latitudes beyond 90 degrees{detail}. Check that the layer&apos;s CRS is right (the coordinates may be in metres, or longitude and latitude swapped).</source>
        <translation>Der Layer {layer} ist in Grad, hat aber Breiten jenseits von 90 Grad{detail}. Prüfen Sie, ob das KBS des Layers stimmt (die Koordinaten könnten in Metern sein oder Länge und Breite vertauscht).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="452"/>
        <source>ArcGIS Pro&apos;s default (spatial Silverman rule)</source>
        <translation>Standard von ArcGIS Pro (räumliche Silverman-Regel)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="453"/>
        <source>Scott&apos;s rule (spatstat bw.scott)</source>
        <translation>Scott-Regel (spatstat bw.scott)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="454"/>
        <source>Likelihood cross-validation (spatstat bw.ppl)</source>
        <translation>Likelihood-Kreuzvalidierung (spatstat bw.ppl)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="455"/>
        <source>Diggle&apos;s mean-square error (spatstat bw.diggle)</source>
        <translation>Mittlerer quadratischer Fehler nach Diggle (spatstat bw.diggle)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="485"/>
        <source>ArcGIS rule: 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 = {quartic:.6g} {unit} for the quartic kernel (SD {sd:.6g}, Dm {dm:.6g}, n {n:.6g}); radius {radius:.6g} {unit}.</source>
        <translation>ArcGIS-Regel: 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 = {quartic:.6g} {unit} für den quartischen Kern (SD {sd:.6g}, Dm {dm:.6g}, n {n:.6g}); Radius {radius:.6g} {unit}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="502"/>
        <source>Scott&apos;s rule: sigma = sqrt(sd_x sd_y) n^(-1/6) = {sigma:.6g} {unit} (sd_x {sd_x:.6g}, sd_y {sd_y:.6g}, n {n}); radius {radius:.6g} {unit}.</source>
        <translation>Scott-Regel: sigma = sqrt(sd_x sd_y) n^(-1/6) = {sigma:.6g} {unit} (sd_x {sd_x:.6g}, sd_y {sd_y:.6g}, n {n}); Radius {radius:.6g} {unit}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="528"/>
        <source>{rule}: sigma {sigma:.6g} {unit}, the best of {evaluated} candidates from {low:.4g} to {high:.4g}; radius {radius:.6g} {unit}.</source>
        <translation>{rule}: sigma {sigma:.6g} {unit}, der beste von {evaluated} Kandidaten von {low:.4g} bis {high:.4g}; Radius {radius:.6g} {unit}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="543"/>
        <source>{rule} chose the first or last candidate it evaluated: the best radius may lie outside the range searched. Check the result, or try another rule.</source>
        <translation>{rule} wählte den ersten oder letzten ausgewerteten Kandidaten: Der beste Radius könnte außerhalb des durchsuchten Bereichs liegen. Prüfen Sie das Ergebnis oder versuchen Sie eine andere Regel.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="553"/>
        <source>{rule} cannot give a radius for these points: {reason}. Enter a radius, or choose another rule.</source>
        <translation>{rule} kann für diese Punkte keinen Radius liefern: {reason}. Geben Sie einen Radius ein oder wählen Sie eine andere Regel.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="560"/>
        <source>{rule} gives no usable radius for these points (all at one place?). Enter a radius.</source>
        <translation>{rule} liefert für diese Punkte keinen brauchbaren Radius (alle an einer Stelle?). Geben Sie einen Radius ein.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="573"/>
        <source>The output &quot;{path}&quot; has no file extension, so no raster format can be chosen. Add one, for example .tif for a GeoTIFF.</source>
        <translation>Die Ausgabe „{path}“ hat keine Dateiendung, daher kann kein Rasterformat gewählt werden. Ergänzen Sie eine, zum Beispiel .tif für ein GeoTIFF.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="577"/>
        <source>No raster format QGIS knows writes files ending in &quot;{extension}&quot; ({path}). Use .tif (GeoTIFF) or another GDAL raster format.</source>
        <translation>Kein Rasterformat, das QGIS kennt, schreibt Dateien mit der Endung „{extension}“ ({path}). Verwenden Sie .tif (GeoTIFF) oder ein anderes GDAL-Rasterformat.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="581"/>
        <source>Cannot write 32-bit floating point rasters to &quot;{path}&quot;. Use a .tif file (GeoTIFF) or another raster format that stores decimals.</source>
        <translation>In „{path}“ können keine 32-Bit-Gleitkommaraster geschrieben werden. Verwenden Sie eine .tif-Datei (GeoTIFF) oder ein anderes Rasterformat, das Dezimalzahlen speichert.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="585"/>
        <source>&quot;{path}&quot; would be a virtual raster, which only points to other files and cannot hold the computed values. Write a .tif (GeoTIFF), and build a virtual raster from it if you need one.</source>
        <translation>„{path}“ wäre ein virtuelles Raster, das nur auf andere Dateien verweist und die berechneten Werte nicht aufnehmen kann. Schreiben Sie ein .tif (GeoTIFF) und erstellen Sie daraus bei Bedarf ein virtuelles Raster.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="590"/>
        <source>The output &quot;{path}&quot; is a folder. Give the name of a file inside it, for example heatmap.tif.</source>
        <translation>Die Ausgabe „{path}“ ist ein Ordner. Geben Sie den Namen einer Datei darin an, zum Beispiel heatmap.tif.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="594"/>
        <source>The output folder &quot;{path}&quot; does not exist. Create it or choose another output file.</source>
        <translation>Der Ausgabeordner „{path}“ existiert nicht. Legen Sie ihn an oder wählen Sie eine andere Ausgabedatei.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="598"/>
        <source>Cannot write in the output folder &quot;{path}&quot;{detail}. Choose a folder where you have write permission.</source>
        <translation>In den Ausgabeordner „{path}“ kann nicht geschrieben werden{detail}. Wählen Sie einen Ordner, in dem Sie Schreibrechte haben.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="602"/>
        <source>The existing file &quot;{path}&quot; is read-only, so it is not replaced. Make it writable or choose another output file.</source>
        <translation>Die vorhandene Datei „{path}“ ist schreibgeschützt und wird daher nicht ersetzt. Machen Sie sie beschreibbar oder wählen Sie eine andere Ausgabedatei.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="606"/>
        <source>The output &quot;{path}&quot; is the input layer&apos;s file: writing the heatmap there would destroy the points. Choose another output file.</source>
        <translation>Die Ausgabe „{path}“ ist die Datei des Eingabelayers: Die Heatmap dorthin zu schreiben, würde die Punkte zerstören. Wählen Sie eine andere Ausgabedatei.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="610"/>
        <source>A file &quot;{path}&quot; exists and is not a raster that can be replaced{detail}; overwriting it could destroy your data. Choose another output file, or delete that file yourself.</source>
        <translation>Eine Datei „{path}“ existiert und ist kein Raster, das ersetzt werden kann{detail}; sie zu überschreiben könnte Ihre Daten zerstören. Wählen Sie eine andere Ausgabedatei oder löschen Sie die Datei selbst.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="615"/>
        <source>The existing file &quot;{path}&quot; holds more than one dataset{detail}; writing the heatmap would replace all of them. Choose another output file.</source>
        <translation>Die vorhandene Datei „{path}“ enthält mehr als einen Datensatz{detail}; die Heatmap zu schreiben, würde sie alle ersetzen. Wählen Sie eine andere Ausgabedatei.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="619"/>
        <source>Writing this format would overwrite &quot;{path}&quot;, a file of another dataset. Choose another output name or format.</source>
        <translation>Dieses Format zu schreiben, würde „{path}“ überschreiben, eine Datei eines anderen Datensatzes. Wählen Sie einen anderen Ausgabenamen oder ein anderes Format.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="623"/>
        <source>GDAL could not write a test raster in the format of &quot;{path}&quot;{detail}. Choose another format, such as .tif (GeoTIFF).</source>
        <translation>GDAL konnte kein Testraster im Format von „{path}“ schreiben{detail}. Wählen Sie ein anderes Format, etwa .tif (GeoTIFF).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="627"/>
        <source>The format of &quot;{path}&quot; does not keep the values: a test raster read back differs{detail}. Choose another format, such as .tif (GeoTIFF).</source>
        <translation>Das Format von „{path}“ bewahrt die Werte nicht: Ein zurückgelesenes Testraster weicht ab{detail}. Wählen Sie ein anderes Format, etwa .tif (GeoTIFF).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="648"/>
        <source>The template raster &quot;{name}&quot; does not have square cells on a north-up grid (cells of {cell_x:g} x {cell_y:g}{rotated}). Use a template with square cells, or an output extent and cell size instead.</source>
        <translation>Das Vorlagenraster „{name}“ hat keine quadratischen Zellen auf einem nordausgerichteten Gitter (Zellen von {cell_x:g} x {cell_y:g}{rotated}). Verwenden Sie eine Vorlage mit quadratischen Zellen oder stattdessen eine Ausgabeausdehnung und Zellgröße.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/base.py" line="648"/>
        <source>, rotated</source>
        <translation>, gedreht</translation>
    </message>
</context>
<context>
    <name>KdeHeatmapAlgorithm</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="172"/>
        <source>Kernel density heatmap</source>
        <translation>Kerndichte-Heatmap</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="175"/>
        <source>heatmap,kde,kernel density,hotspot,density</source>
        <translation>Heatmap,KDE,Kerndichte,Hotspot,Dichte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="285"/>
        <source>Radius</source>
        <translation>Radius</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="290"/>
        <source>Radius from field</source>
        <translation>Radius aus Feld</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="312"/>
        <source>Output raster size</source>
        <translation>Ausgaberastergröße</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="324"/>
        <source>Decay ratio (Triangular kernels only)</source>
        <translation>Abklingrate (nur Dreieckskerne)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="335"/>
        <source>Output value scaling</source>
        <translation>Skalierung der Ausgabewerte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="385"/>
        <source>Heatmap</source>
        <translation>Heatmap</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="418"/>
        <source>Could not load the point layer ({value}). Check that it exists and is a vector layer.</source>
        <translation>Der Punktlayer ({value}) konnte nicht geladen werden. Prüfen Sie, ob er existiert und ein Vektorlayer ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="433"/>
        <source>Cancelled: no output was written.</source>
        <translation>Abgebrochen: Es wurde keine Ausgabe geschrieben.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="634"/>
        <source>Read {points} points from {features} features ({method}).</source>
        <translation>{points} Punkte aus {features} Objekten gelesen ({method}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="634"/>
        <source>bulk GDAL read</source>
        <translation>GDAL-Blocklesen</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="634"/>
        <source>feature iterator</source>
        <translation>Objekt-Iterator</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="688"/>
        <source>{count} points have a negative weight: they lower the density around them, and cells can end up below 0.</source>
        <translation>{count} Punkte haben ein negatives Gewicht: Sie senken die Dichte in ihrer Umgebung, und Zellen können unter 0 fallen.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="899"/>
        <source>The raster was written but its style file could not be saved: {reason}</source>
        <translation>Das Raster wurde geschrieben, aber seine Stildatei konnte nicht gespeichert werden: {reason}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="930"/>
        <source>The radius ({radius:g}) is smaller than the cell size ({cell_size:g}): most points will not reach a cell centre and the surface will be mostly empty. Use a smaller cell size or a larger radius.</source>
        <translation>Der Radius ({radius:g}) ist kleiner als die Zellgröße ({cell_size:g}): Die meisten Punkte erreichen keinen Zellmittelpunkt, und die Oberfläche bleibt größtenteils leer. Verwenden Sie eine kleinere Zellgröße oder einen größeren Radius.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="940"/>
        <source>The radius ({radius:g}) spans {cells:.0f} cells: this will be slow. A radius of 10 to 100 cells is usually enough; consider a cell size of {suggested:g}.</source>
        <translation>Der Radius ({radius:g}) umfasst {cells:.0f} Zellen: Das wird langsam. Ein Radius von 10 bis 100 Zellen reicht meist aus; erwägen Sie eine Zellgröße von {suggested:g}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1427"/>
        <source>Raw</source>
        <translation>Rohwerte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1428"/>
        <source>Scaled</source>
        <translation>Skaliert</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1429"/>
        <source>Density</source>
        <translation>Dichte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1430"/>
        <source>Expected count per cell</source>
        <translation>Erwartete Anzahl je Zelle</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="474"/>
        <source>With a decay of {decay} the triangular kernel does not integrate to a positive number, so it cannot be turned into a density. Use a decay above -0.5, or the Raw or Scaled output.</source>
        <translation>Mit einem Abfall von {decay} ergibt das Integral des Dreieckskerns keine positive Zahl, daher lässt er sich nicht in eine Dichte umrechnen. Verwenden Sie einen Abfall über -0,5 oder die Ausgabe „Rohwerte“ oder „Skaliert“.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="695"/>
        <source>Computing a {rows} x {cols} raster (cell size {cell_size}), estimated to take {seconds:.1f} s.</source>
        <translation>Berechne ein Raster mit {rows} x {cols} Zellen (Zellgröße {cell_size}), geschätzte Dauer {seconds:.1f} s.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="702"/>
        <source>This run is estimated to take {minutes:.0f} minutes. A cell size of {suggested:g} would take at most about {limit:.0f}.</source>
        <translation>Dieser Lauf dauert geschätzt {minutes:.0f} Minuten. Mit einer Zellgröße von {suggested:g} wären es höchstens etwa {limit:.0f}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="799"/>
        <source>Could not write the raster &quot;{path}&quot;: {reason}. The previous file, if any, is unchanged.</source>
        <translation>Das Raster „{path}“ konnte nicht geschrieben werden: {reason}. Eine vorhandene frühere Datei ist unverändert.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="806"/>
        <source>Some cells reach {value:g}, beyond the range of a 32-bit floating point raster (about 3.4e38); nothing was written. Scale the weights down (for example with the field calculator), use a larger radius, or another output value scaling.</source>
        <translation>Einige Zellen erreichen {value:g}, mehr als ein 32-Bit-Gleitkomma-Raster fassen kann (etwa 3.4e38); es wurde nichts geschrieben. Verkleinern Sie die Gewichte (zum Beispiel mit dem Feldrechner), wählen Sie einen größeren Radius oder eine andere Skalierung der Ausgabewerte.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="863"/>
        <source>A radius of {radius:g} is too small to compute with: its square is below the smallest double-precision number. Use a radius of at least {smallest:g} map units.</source>
        <translation>Ein Radius von {radius:g} ist zu klein zum Rechnen: sein Quadrat liegt unter der kleinsten Zahl doppelter Genauigkeit. Verwenden Sie einen Radius von mindestens {smallest:g} Karteneinheiten.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="869"/>
        <source>A radius of {radius:g} is too large to compute with: its square overflows. Use a radius of at most {largest:g} map units.</source>
        <translation>Ein Radius von {radius:g} ist zu groß zum Rechnen: sein Quadrat läuft über. Verwenden Sie einen Radius von höchstens {largest:g} Karteneinheiten.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="874"/>
        <source>With a radius of {radius:g}, the {output} output multiplies the kernel by {factor:g}, a number too small or too large to compute with. Use a radius nearer 1 in map units (a CRS in other units), or the Raw output.</source>
        <translation>Bei einem Radius von {radius:g} multipliziert die Ausgabe {output} den Kern mit {factor:g}, einer Zahl, die zum Rechnen zu klein oder zu groß ist. Verwenden Sie einen Radius näher an 1 Karteneinheit (ein KBS in anderen Einheiten) oder die Rohwert-Ausgabe.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="884"/>
        <source>The weights, times the output&apos;s scaling, add up to {total:g}: cells could overflow (at most {largest:g} can be computed). The largest weight is {weight:g}. Scale the weights down, or use another output value scaling.</source>
        <translation>Die Gewichte ergeben mit der Skalierung der Ausgabe zusammen {total:g}: Zellen könnten überlaufen (höchstens {largest:g} lassen sich berechnen). Das größte Gewicht ist {weight:g}. Verkleinern Sie die Gewichte oder wählen Sie eine andere Skalierung der Ausgabewerte.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="905"/>
        <source>The style file &quot;{qml}&quot; was kept: it was not written by this plugin (it may be the style of another layer). The heatmap style is applied when Processing loads the result; choose another output name to get a style file too.</source>
        <translation>Die Stildatei „{qml}“ wurde beibehalten: Sie stammt nicht von diesem Plugin (vielleicht ist sie der Stil eines anderen Layers). Der Heatmap-Stil wird angewendet, wenn Processing das Ergebnis lädt; wählen Sie einen anderen Ausgabenamen, um auch eine Stildatei zu erhalten.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="343"/>
        <source>Output CRS (distances in its units)</source>
        <translation>Ausgabe-KBS (Entfernungen in seinen Einheiten)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="452"/>
        <source>The radius must be greater than 0 (it is {radius}). Enter the distance a point influences (in metres for a layer in degrees), or pick a radius field.</source>
        <translation>Der Radius muss größer als 0 sein (er ist {radius}). Geben Sie die Entfernung an, die ein Punkt beeinflusst (in Metern bei einem Layer in Grad), oder wählen Sie ein Radiusfeld.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="460"/>
        <source>The output raster size (cell size) must be greater than 0 (it is {cell_size}). Enter the side of a cell in the radius&apos;s unit, for example a tenth of the radius.</source>
        <translation>Die Ausgaberastergröße (Zellgröße) muss größer als 0 sein (sie ist {cell_size}). Geben Sie die Seitenlänge einer Zelle in der Einheit des Radius an, zum Beispiel ein Zehntel des Radius.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="492"/>
        <source>The output CRS &quot;{crs}&quot; is not a CRS QGIS knows. Give an authority code such as EPSG:3857, or leave it empty.</source>
        <translation>Das Ausgabe-KBS „{crs}“ ist QGIS nicht bekannt. Geben Sie einen Code wie EPSG:3857 an oder lassen Sie es leer.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="348"/>
        <source>Distance method</source>
        <translation>Entfernungsmethode</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1394"/>
        <source>Planar (in the computation CRS)</source>
        <translation>Eben (im Berechnungs-KBS)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1395"/>
        <source>Geodesic (on the WGS 84 ellipsoid)</source>
        <translation>Geodätisch (auf dem WGS-84-Ellipsoid)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1402"/>
        <source>Geodesic method: distances on the WGS 84 ellipsoid, radius in metres; the grid is regular in longitude and latitude, cells of {cell_size:g} degrees ({height:.4g} m north to south, at most {width:.4g} m east to west, narrowing away from the equator). Densities are per square metre and expected counts use each cell&apos;s true area.</source>
        <translation>Geodätische Methode: Entfernungen auf dem WGS-84-Ellipsoid, Radius in Metern; das Gitter ist regelmäßig in Länge und Breite, Zellen von {cell_size:g} Grad ({height:.4g} m von Nord nach Süd, höchstens {width:.4g} m von West nach Ost, schmaler werdend abseits des Äquators). Dichten gelten je Quadratmeter, und erwartete Anzahlen verwenden die wahre Fläche jeder Zelle.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1418"/>
        <source>A radius of {radius:g} m is too large for the geodesic method, which takes radii of at most {largest:g} m (a quarter of the way round the Earth). Use a smaller radius.</source>
        <translation>Ein Radius von {radius:g} m ist zu groß für die geodätische Methode, die Radien bis höchstens {largest:g} m verarbeitet (ein Viertel des Erdumfangs). Verwenden Sie einen kleineren Radius.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="187"/>
        <source>Turns a point layer into a kernel density raster, computed exactly at the cell centres and styled on arrival.</source>
        <translation>Erzeugt aus einem Punktlayer ein Kerndichteraster, exakt in den Zellmittelpunkten berechnet und gleich gestaltet.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="948"/>
        <source>The radius ({radius:g}) spans {cells:.0f} cells, finer than a heatmap needs: a cell size of {suggested:g} (100 cells per radius) gives the same surface in a fraction of the time and file size.</source>
        <translation>Der Radius ({radius:g}) umfasst {cells:.0f} Zellen, feiner als eine Heatmap braucht: Eine Zellgröße von {suggested:g} (100 Zellen je Radius) ergibt dieselbe Oberfläche in einem Bruchteil der Zeit und Dateigröße.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1334"/>
        <source>All {count} points lie at the same place, so no radius can be derived from their spread. Enter a radius.</source>
        <translation>Alle {count} Punkte liegen an derselben Stelle, daher lässt sich aus ihrer Streuung kein Radius ableiten. Geben Sie einen Radius ein.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1341"/>
        <source>Radius {radius:g} {unit}, by ArcGIS&apos;s rule 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 (standard distance SD {sd:.4g}, median distance Dm {dm:.4g}, n {n:.6g}{weights}){kernel}.</source>
        <translation>Radius {radius:g} {unit}, nach der ArcGIS-Regel 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 (Standarddistanz SD {sd:.4g}, Mediandistanz Dm {dm:.4g}, n {n:.6g}{weights}){kernel}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1341"/>
        <source>, the sum of the weights</source>
        <translation>, die Summe der Gewichte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1341"/>
        <source>, scaled from the quartic&apos;s {quartic:.4g} to the same spread</source>
        <translation>, vom quartischen Wert {quartic:.4g} auf dieselbe Streuung umgerechnet</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1378"/>
        <source>Cell size {cell_size:g} {unit}: about {target} cells on the raster&apos;s longer side, and at least {per_radius} cells per radius.</source>
        <translation>Zellgröße {cell_size:g} {unit}: etwa {target} Zellen auf der längeren Seite des Rasters und mindestens {per_radius} Zellen je Radius.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="386"/>
        <source>Color ramp</source>
        <translation>Farbverlauf</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="485"/>
        <source>There is no color ramp named &quot;{name}&quot; in your QGIS style. Use one of: {names}.</source>
        <translation>In Ihrem QGIS-Stil gibt es keinen Farbverlauf namens „{name}“. Verwenden Sie einen von: {names}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="829"/>
        <source>points</source>
        <translation>Punkte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="832"/>
        <source>Kernel density, {kernel}, radius from {field}</source>
        <translation>Kerndichte, {kernel}, Radius aus {field}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="840"/>
        <source>Kernel density, {kernel}, r = {radius:g} {unit}</source>
        <translation>Kerndichte, {kernel}, r = {radius:g} {unit}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="844"/>
        <source>{what}/{unit}²</source>
        <translation>{what}/{unit}²</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="845"/>
        <source>Density, {what} per {unit}²</source>
        <translation>Dichte, {what} je {unit}²</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="848"/>
        <source>Expected {what} per cell</source>
        <translation>Erwartete {what} je Zelle</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="851"/>
        <source>Scaled kernel sum (native heatmap constants)</source>
        <translation>Skalierte Kernsumme (Konstanten der nativen Heatmap)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="854"/>
        <source>Raw kernel sum</source>
        <translation>Rohe Kernsumme</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="356"/>
        <source>Output extent</source>
        <translation>Ausgabeausdehnung</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="359"/>
        <source>Grid of a raster (template)</source>
        <translation>Gitter eines Rasters (Vorlage)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="364"/>
        <source>Cells no point reaches are NoData</source>
        <translation>Zellen, die kein Punkt erreicht, sind NoData</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="528"/>
        <source>The template raster decides the grid, so {parameters} cannot be given too. Leave {parameters} empty, or the template.</source>
        <translation>Das Vorlagenraster bestimmt das Gitter, daher kann {parameters} nicht zusätzlich angegeben werden. Lassen Sie {parameters} leer oder die Vorlage.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="540"/>
        <source>The template raster&apos;s CRS {crs} does not suit the distance method: a template in degrees needs the geodesic method, a projected one the planar method.</source>
        <translation>Das KBS des Vorlagenrasters {crs} passt nicht zur Entfernungsmethode: Eine Vorlage in Grad braucht die geodätische Methode, eine projizierte die ebene Methode.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1234"/>
        <source>No point lies within the radius of the output grid: every cell will be 0. Check the output extent or template, and the points&apos; CRS.</source>
        <translation>Kein Punkt liegt innerhalb des Radius um das Ausgabegitter: Jede Zelle wird 0 sein. Prüfen Sie die Ausgabeausdehnung oder die Vorlage und das KBS der Punkte.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1280"/>
        <source>The output extent could not be transformed to {crs}: {reason}. Give the extent in that CRS.</source>
        <translation>Die Ausgabeausdehnung konnte nicht nach {crs} transformiert werden: {reason}. Geben Sie die Ausdehnung in diesem KBS an.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="369"/>
        <source>Study area</source>
        <translation>Untersuchungsgebiet</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="377"/>
        <source>Edge correction (with a study area)</source>
        <translation>Randkorrektur (mit Untersuchungsgebiet)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1036"/>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1037"/>
        <source>Uniform: divide each cell by the kernel&apos;s share inside the area</source>
        <translation>Gleichmäßig: jede Zelle durch den Anteil des Kerns im Gebiet teilen</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1038"/>
        <source>Jones-Diggle: weight each point by its kernel&apos;s share inside</source>
        <translation>Jones-Diggle: jeden Punkt mit dem Anteil seines Kerns im Gebiet gewichten</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1051"/>
        <source>Edge correction needs a study area: choose the polygon layer the points were collected in, or no edge correction.</source>
        <translation>Die Randkorrektur braucht ein Untersuchungsgebiet: Wählen Sie den Polygonlayer, in dem die Punkte erhoben wurden, oder keine Randkorrektur.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1058"/>
        <source>Edge correction is computed in a plane: use the planar distance method (a layer in degrees is projected automatically), or no edge correction.</source>
        <translation>Die Randkorrektur wird in der Ebene berechnet: Verwenden Sie die ebene Entfernungsmethode (ein Layer in Grad wird automatisch projiziert) oder keine Randkorrektur.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1091"/>
        <source>The study area cannot be used: {reason}. Check that its polygons are valid (Vector › Geometry Tools › Check Validity).</source>
        <translation>Das Untersuchungsgebiet kann nicht verwendet werden: {reason}. Prüfen Sie, ob seine Polygone gültig sind (Vektor › Geometrie-Werkzeuge › Gültigkeit prüfen).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1098"/>
        <source>{count} invalid study area polygons were repaired (made valid).</source>
        <translation>{count} ungültige Polygone des Untersuchungsgebiets wurden repariert (gültig gemacht).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1104"/>
        <source>Study area: {area:.6g} square map units from {features} features; {outside} of {count} points lie outside it and are ignored.</source>
        <translation>Untersuchungsgebiet: {area:.6g} Quadrat-Karteneinheiten aus {features} Objekten; {outside} von {count} Punkten liegen außerhalb und werden nicht berücksichtigt.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1113"/>
        <source>None of the {count} points lies inside the study area. Check that the study area is the right layer, and both layers&apos; CRS.</source>
        <translation>Keiner der {count} Punkte liegt im Untersuchungsgebiet. Prüfen Sie, ob das Untersuchungsgebiet der richtige Layer ist, und das KBS beider Layer.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1137"/>
        <source>The study area must be a polygon layer.</source>
        <translation>Das Untersuchungsgebiet muss ein Polygonlayer sein.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1139"/>
        <source>Study area feature {feature} is not a valid polygon and could not be repaired ({error}). Fix it (Vector › Geometry Tools › Fix Geometries).</source>
        <translation>Objekt {feature} des Untersuchungsgebiets ist kein gültiges Polygon und konnte nicht repariert werden ({error}). Korrigieren Sie es (Vektor › Geometrie-Werkzeuge › Geometrien reparieren).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1144"/>
        <source>Study area feature {feature} could not be transformed to the computation CRS ({error}). Check the study area&apos;s CRS.</source>
        <translation>Objekt {feature} des Untersuchungsgebiets konnte nicht in das Berechnungs-KBS transformiert werden ({error}). Prüfen Sie das KBS des Untersuchungsgebiets.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1148"/>
        <source>The study area has no polygon with an area ({features} features read, {skipped} empty or NULL). Choose a layer with polygons.</source>
        <translation>Das Untersuchungsgebiet hat kein Polygon mit Fläche ({features} Objekte gelesen, {skipped} leer oder NULL). Wählen Sie einen Layer mit Polygonen.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1205"/>
        <source>With a decay of {decay} the triangular kernel is negative near its radius, so the share of it inside the study area is not defined. Use a decay of 0 or more, another kernel, or no edge correction.</source>
        <translation>Bei einer Abklingrate von {decay} ist der Dreieckskern nahe seinem Radius negativ, daher ist sein Anteil im Untersuchungsgebiet nicht definiert. Verwenden Sie eine Abklingrate von 0 oder mehr, einen anderen Kern oder keine Randkorrektur.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1210"/>
        <source>The study area cannot be used for edge correction: {reason}. Check that its polygons are valid.</source>
        <translation>Das Untersuchungsgebiet kann nicht für die Randkorrektur verwendet werden: {reason}. Prüfen Sie, ob seine Polygone gültig sind.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="299"/>
        <source>Radius from the data (rule)</source>
        <translation>Radius aus den Daten (Regel)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="547"/>
        <source>The radius given</source>
        <translation>Der angegebene Radius</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="307"/>
        <source>Adaptive radii (Abramson)</source>
        <translation>Adaptive Radien (Abramson)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="560"/>
        <source>Adaptive radii replace the radius field: choose one of them (the radius field gives each point its radius; adaptive radii derive them).</source>
        <translation>Adaptive Radien ersetzen das Radiusfeld: Wählen Sie eines von beiden (das Radiusfeld gibt jedem Punkt seinen Radius; adaptive Radien leiten sie ab).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="567"/>
        <source>Adaptive radii are computed in a plane: use the planar distance method (a layer in degrees is projected automatically).</source>
        <translation>Adaptive Radien werden in der Ebene berechnet: Verwenden Sie die ebene Entfernungsmethode (ein Layer in Grad wird automatisch projiziert).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="836"/>
        <source>Kernel density, {kernel}, adaptive, r0 = {radius:g} {unit}</source>
        <translation>Kerndichte, {kernel}, adaptiv, r0 = {radius:g} {unit}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1020"/>
        <source>Adaptive radii (Abramson, pilot radius {radius:g}): from {smallest:.4g} to {largest:.4g}, median {median:.4g}.</source>
        <translation>Adaptive Radien (Abramson, Pilotradius {radius:g}): von {smallest:.4g} bis {largest:.4g}, Median {median:.4g}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1065"/>
        <source>The uniform edge correction needs one radius for every point. Use the Jones-Diggle correction with a radius field or adaptive radii.</source>
        <translation>Die gleichmäßige Randkorrektur braucht einen Radius für alle Punkte. Verwenden Sie mit einem Radiusfeld oder adaptiven Radien die Jones-Diggle-Korrektur.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="1313"/>
        <source>The radius given ({radius:g}) is replaced by the rule&apos;s.</source>
        <translation>Der angegebene Radius ({radius:g}) wird durch den der Regel ersetzt.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="193"/>
        <source>&lt;p&gt;Turns a point layer into a kernel density raster (a heatmap), styled with a color ramp. Each point spreads its weight over the cells whose centre lies within the radius; values are computed exactly at the cell centres.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Point layer&lt;/b&gt;: points or multipoints (every part counts). Radius and cell size are in the units of the CRS the heatmap is computed in: the layer&apos;s CRS when it is projected; for a layer in longitude/latitude, metres in a projected CRS chosen for the points (the UTM zone of their centre, or a Lambert azimuthal equal-area CRS centred on them when they spread wider than a zone); the output CRS when one is given; with the geodesic method, metres for the radius and degrees for the cell size. Features with a NULL or unreadable geometry, or a NULL or non-finite weight or radius, are skipped and counted.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius&lt;/b&gt;: how far a point&apos;s influence reaches (see above for its unit). Larger radii give smoother surfaces. Left empty, it is derived from the points by ArcGIS&apos;s rule, 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 (SD the standard distance and Dm the median distance to the mean centre, n the points or the sum of the weights), scaled to the kernel&apos;s spread; the log shows the numbers.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius from the data (rule)&lt;/b&gt;: instead of the radius given, the one a rule derives from the points: ArcGIS Pro&apos;s default, Scott&apos;s rule, likelihood cross-validation or Diggle&apos;s criterion (as spatstat&apos;s bw.scott, bw.ppl and bw.diggle); the log shows every number. The algorithm &lt;i&gt;Kernel radius from the data&lt;/i&gt; gives the same radii as an output for models.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Adaptive radii (Abramson)&lt;/b&gt;: each point gets its own radius, smaller where points are dense: R_i = R0 min(5, (f(x_i) / G)^(-1/2)), with f the density of the radius R0 (given or from a rule) at the points and G its geometric mean (spatstat&apos;s bw.abram).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius from field&lt;/b&gt; (optional): a numeric field with a radius per feature; overrides Radius. Features with a radius of zero or less are skipped.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output raster size&lt;/b&gt;: the side of a square cell, in the same unit. A radius of 10 to 100 cells is typical; smaller cells give larger files. Left empty, the raster gets about 1000 cells on its longer side, and at least 10 cells per radius.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Weight from field&lt;/b&gt; (optional): a numeric field multiplying each point&apos;s contribution. Zero weights contribute nothing; negative weights subtract.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kernel shape&lt;/b&gt;: Quartic (default, smooth), Triangular, Uniform, Triweight, Epanechnikov or Gaussian (standard deviation = radius / 3, cut at the radius).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Decay ratio (Triangular kernels only)&lt;/b&gt;: the kernel&apos;s value at the radius, relative to the centre (0: falls to zero; 1: flat; negative: below zero near the edge).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output value scaling&lt;/b&gt;: Raw (sum of weighted kernel values), Scaled (raw times the constants of the native QGIS heatmap), Density (weight per square layer unit; integrates to the total weight) or Expected count per cell (density times the cell area).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Heatmap&lt;/b&gt;: the output raster. GeoTIFF (Float32) by default; other GDAL formats by file extension. Cells no point reaches hold 0. A .qml style file with the same name is written beside it, unless a .qml of that name exists that this plugin did not write. An existing output is replaced only once the new raster is complete; a read-only file, the input layer&apos;s file and files holding other data are never overwritten.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output CRS (distances in its units)&lt;/b&gt; (optional): a projected CRS to compute and write the heatmap in, for example EPSG:3857 for a web map or a national grid; the points are transformed to it first. Radius and cell size are then in its units. With the geodesic method: a geographic CRS for the grid (WGS 84 when empty).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Distance method&lt;/b&gt;: Planar (default) measures distances in the CRS above. Geodesic measures them on the WGS 84 ellipsoid, from each cell centre to each point, for data spread over large areas, near the poles or across the antimeridian, where any one projection distorts distances: the radius is in metres, the output raster size in degrees, and the raster is a regular longitude/latitude grid. Density is per square metre and Expected count uses each cell&apos;s true area, which shrinks away from the equator. A grid around the whole world has no seam when the cell size divides 360.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output extent&lt;/b&gt; (optional): the area the raster covers exactly, its top-left corner the raster&apos;s origin (columns = ceil(width / cell size)); points outside still count where their radius reaches in.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Grid of a raster (template)&lt;/b&gt; (optional): the raster takes this layer&apos;s CRS, origin, cell size and number of rows and columns, so that the two can be overlaid or subtracted cell by cell; the points are transformed to its CRS. It replaces the output extent, cell size and output CRS.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Cells no point reaches are NoData&lt;/b&gt;: write them as NoData (value 0) instead of 0.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Study area&lt;/b&gt; (optional): polygons the points were collected in. Cells whose centre lies outside are NoData, points outside are ignored (and counted in the log), and the raster covers the area unless an extent or template is given.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Edge correction (with a study area)&lt;/b&gt;: near the area&apos;s boundary part of each kernel falls outside, where no point could be observed. Uniform divides each cell by e(u), the share of the kernel centred on it that lies inside; Jones-Diggle weights each point by 1 / e at the point, so that the density integrates over the area to the points&apos; total weight. e is computed exactly (planar method only).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Color ramp&lt;/b&gt;: name of a color ramp of your QGIS style (for example Viridis, Magma, Inferno, Turbo, Reds), stretched from 0 (transparent) to the maximum.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Erzeugt aus einem Punktlayer ein Kerndichteraster (eine Heatmap), gestaltet mit einem Farbverlauf. Jeder Punkt verteilt sein Gewicht auf die Zellen, deren Mittelpunkt innerhalb des Radius liegt; die Werte werden exakt in den Zellmittelpunkten berechnet.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Punktlayer&lt;/b&gt;: Punkte oder Multipunkte (jeder Teil zählt). Radius und Zellgröße sind in den Einheiten des KBS, in dem die Heatmap berechnet wird: im KBS des Layers, wenn es projiziert ist; bei einem Layer in Länge/Breite in Metern in einem für die Punkte gewählten projizierten KBS (die UTM-Zone ihres Mittelpunkts oder eine flächentreue azimutale Lambert-Projektion mit den Punkten in der Mitte, wenn sie weiter als eine Zone reichen); im Ausgabe-KBS, wenn eines angegeben ist; bei der geodätischen Methode Meter für den Radius und Grad für die Zellgröße. Objekte mit NULL- oder unlesbarer Geometrie oder mit NULL- oder nicht endlichem Gewicht oder Radius werden übersprungen und gezählt.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius&lt;/b&gt;: wie weit der Einfluss eines Punktes reicht (Einheit siehe oben). Größere Radien ergeben glattere Oberflächen. Leer gelassen wird er nach der ArcGIS-Regel aus den Punkten abgeleitet, 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 (SD die Standarddistanz und Dm die Mediandistanz zum mittleren Zentrum, n die Anzahl der Punkte oder die Summe der Gewichte), umgerechnet auf die Streuung des Kerns; das Protokoll zeigt die Zahlen.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius aus den Daten (Regel)&lt;/b&gt;: statt des angegebenen Radius der, den eine Regel aus den Punkten ableitet: Standard von ArcGIS Pro, Scott-Regel, Likelihood-Kreuzvalidierung oder das Kriterium nach Diggle (wie bw.scott, bw.ppl und bw.diggle von spatstat); das Protokoll zeigt alle Zahlen. Der Algorithmus &lt;i&gt;Kernradius aus den Daten&lt;/i&gt; liefert dieselben Radien als Ausgabe für Modelle.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Adaptive Radien (Abramson)&lt;/b&gt;: Jeder Punkt erhält seinen eigenen Radius, kleiner, wo Punkte dicht liegen: R_i = R0 min(5, (f(x_i) / G)^(-1/2)), mit f der Dichte zum Radius R0 (angegeben oder aus einer Regel) an den Punkten und G ihrem geometrischen Mittel (bw.abram von spatstat).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius aus Feld&lt;/b&gt; (optional): ein numerisches Feld mit einem Radius je Objekt; ersetzt den Radius. Objekte mit einem Radius von null oder weniger werden übersprungen.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ausgaberastergröße&lt;/b&gt;: die Seitenlänge einer quadratischen Zelle, in derselben Einheit. Üblich ist ein Radius von 10 bis 100 Zellen; kleinere Zellen ergeben größere Dateien. Leer gelassen erhält das Raster etwa 1000 Zellen auf seiner längeren Seite und mindestens 10 Zellen je Radius.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Gewicht aus Feld&lt;/b&gt; (optional): ein numerisches Feld, mit dem der Beitrag jedes Punktes multipliziert wird. Gewichte von null tragen nichts bei; negative Gewichte ziehen ab.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kernform&lt;/b&gt;: Quartisch (Standard, glatt), Dreieck, Gleichförmig, Triweight, Epanechnikov oder Gauß (Standardabweichung = Radius / 3, am Radius abgeschnitten).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Abklingrate (nur Dreieckskerne)&lt;/b&gt;: der Wert des Kerns am Radius relativ zur Mitte (0: fällt auf null; 1: flach; negativ: nahe dem Rand unter null).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Skalierung der Ausgabewerte&lt;/b&gt;: Rohwerte (Summe der gewichteten Kernwerte), Skaliert (Rohwerte mal die Konstanten der nativen QGIS-Heatmap), Dichte (Gewicht je Quadrat-Layereinheit; integriert sich zum Gesamtgewicht) oder Erwartete Anzahl je Zelle (Dichte mal Zellfläche).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Heatmap&lt;/b&gt;: das Ausgaberaster. Standardmäßig GeoTIFF (Float32); andere GDAL-Formate über die Dateiendung. Zellen, die kein Punkt erreicht, enthalten 0. Daneben wird eine gleichnamige .qml-Stildatei geschrieben, außer es gibt dort schon eine .qml-Datei dieses Namens, die nicht von diesem Plugin stammt. Eine vorhandene Ausgabe wird erst ersetzt, wenn das neue Raster vollständig ist; schreibgeschützte Dateien, die Datei des Eingabelayers und Dateien mit anderen Daten werden nie überschrieben.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ausgabe-KBS (Entfernungen in seinen Einheiten)&lt;/b&gt; (optional): ein projiziertes KBS, in dem die Heatmap berechnet und geschrieben wird, zum Beispiel EPSG:3857 für eine Webkarte oder ein Landeskoordinatensystem; die Punkte werden zuerst dorthin transformiert. Radius und Zellgröße sind dann in seinen Einheiten. Bei der geodätischen Methode: ein geographisches KBS für das Gitter (WGS 84, wenn leer).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Entfernungsmethode&lt;/b&gt;: Eben (Standard) misst Entfernungen im oben genannten KBS. Geodätisch misst sie auf dem WGS-84-Ellipsoid, von jedem Zellmittelpunkt zu jedem Punkt, für Daten über große Gebiete, nahe den Polen oder über die Datumsgrenze hinweg, wo jede einzelne Projektion Entfernungen verzerrt: Der Radius ist in Metern, die Ausgaberastergröße in Grad, und das Raster ist ein regelmäßiges Längen-/Breitengitter. Die Dichte gilt je Quadratmeter, und die erwartete Anzahl verwendet die wahre Fläche jeder Zelle, die abseits des Äquators kleiner wird. Ein Gitter um die ganze Erde hat keine Naht, wenn die Zellgröße 360 teilt.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ausgabeausdehnung&lt;/b&gt; (optional): das Gebiet, das das Raster genau abdeckt, seine linke obere Ecke ist der Ursprung des Rasters (Spalten = ceil(Breite / Zellgröße)); Punkte außerhalb zählen dort, wohin ihr Radius hineinreicht.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Gitter eines Rasters (Vorlage)&lt;/b&gt; (optional): Das Raster übernimmt KBS, Ursprung, Zellgröße und Zeilen- und Spaltenzahl dieses Layers, sodass beide Zelle für Zelle überlagert oder voneinander abgezogen werden können; die Punkte werden in sein KBS transformiert. Sie ersetzt Ausgabeausdehnung, Zellgröße und Ausgabe-KBS.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Zellen, die kein Punkt erreicht, sind NoData&lt;/b&gt;: schreibt sie als NoData (Wert 0) statt als 0.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Untersuchungsgebiet&lt;/b&gt; (optional): Polygone, in denen die Punkte erhoben wurden. Zellen, deren Mittelpunkt außerhalb liegt, sind NoData, Punkte außerhalb werden nicht berücksichtigt (und im Protokoll gezählt), und das Raster deckt das Gebiet ab, sofern keine Ausdehnung oder Vorlage angegeben ist.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Randkorrektur (mit Untersuchungsgebiet)&lt;/b&gt;: Nahe der Gebietsgrenze fällt ein Teil jedes Kerns nach außen, wo kein Punkt beobachtet werden konnte. Gleichmäßig teilt jede Zelle durch e(u), den Anteil des auf ihr zentrierten Kerns im Gebiet; Jones-Diggle gewichtet jeden Punkt mit 1 / e am Punkt, sodass die Dichte über das Gebiet zum Gesamtgewicht der Punkte integriert. e wird exakt berechnet (nur ebene Methode).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Farbverlauf&lt;/b&gt;: Name eines Farbverlaufs Ihres QGIS-Stils (zum Beispiel Viridis, Magma, Inferno, Turbo, Reds), gestreckt von 0 (transparent) bis zum Maximum.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/heatmap_algorithm.py" line="552"/>
        <source>A radius rule gives every point the same radius, a radius field one each: choose one of them.</source>
        <translation>Eine Radiusregel gibt allen Punkten denselben Radius, ein Radiusfeld jedem seinen eigenen: Wählen Sie eines von beiden.</translation>
    </message>
</context>
<context>
    <name>KdeHeatmapProvider</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/provider.py" line="28"/>
        <source>KDE Heatmap</source>
        <translation>KDE-Heatmap</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/provider.py" line="31"/>
        <source>KDE Heatmap: styled kernel density rasters</source>
        <translation>KDE-Heatmap: gestaltete Kerndichteraster</translation>
    </message>
</context>
<context>
    <name>KdeRadiusAlgorithm</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/radius_algorithm.py" line="65"/>
        <source>Kernel radius from the data</source>
        <translation>Kernradius aus den Daten</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/radius_algorithm.py" line="68"/>
        <source>bandwidth,radius,kde,silverman,scott,cross-validation,diggle</source>
        <translation>Bandbreite,Radius,KDE,Silverman,Scott,Kreuzvalidierung,Diggle</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/radius_algorithm.py" line="80"/>
        <source>The kernel radius a rule derives from a point layer, for the heatmap.</source>
        <translation>Der Kernradius, den eine Regel aus einem Punktlayer ableitet, für die Heatmap.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/radius_algorithm.py" line="108"/>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/radius_algorithm.py" line="113"/>
        <source>Radius</source>
        <translation>Radius</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/radius_algorithm.py" line="125"/>
        <source>Could not load the point layer ({value}).</source>
        <translation>Der Punktlayer konnte nicht geladen werden ({value}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/radius_algorithm.py" line="133"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/radius_algorithm.py" line="186"/>
        <source>Radius by {rule}: {radius:.6g} {unit}.</source>
        <translation>Radius nach {rule}: {radius:.6g} {unit}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/radius_algorithm.py" line="83"/>
        <source>&lt;p&gt;Derives a kernel radius from the points, for &lt;i&gt;Kernel density heatmap&lt;/i&gt; (connect its output to the heatmap&apos;s Radius in a model). Distances are in the layer&apos;s units, or in metres for a layer in longitude/latitude (the heatmap&apos;s automatic projection). Every rule&apos;s radius is written to the log; the output is the chosen one&apos;s.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Point layer&lt;/b&gt;: points or multipoints.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Weight from field&lt;/b&gt; (optional): weights count in ArcGIS&apos;s rule (n is their sum, the centre and distances weighted), when all are zero or more; the other rules use the points&apos; positions only.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kernel shape&lt;/b&gt;: the radius is the support radius of this kernel with the rule&apos;s spread (sigma-based rules: quartic R = sigma sqrt(8), Epanechnikov sqrt(6), uniform 2, triweight sqrt(10), Gaussian 3).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Rule&lt;/b&gt;: ArcGIS Pro&apos;s default, 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 for the quartic kernel; Scott&apos;s rule, sigma = sqrt(sd_x sd_y) n^(-1/6); likelihood cross-validation (spatstat&apos;s bw.ppl: the sigma maximising the leave-one-out log-likelihood); Diggle&apos;s mean-square-error criterion (spatstat&apos;s bw.diggle). The last two search 16 candidates between the nearest-neighbour distance and half the points&apos; bounding box.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Leitet einen Kernradius aus den Punkten ab, für &lt;i&gt;Kerndichte-Heatmap&lt;/i&gt; (verbinden Sie die Ausgabe in einem Modell mit dem Radius der Heatmap). Entfernungen sind in den Einheiten des Layers, bei einem Layer in Länge/Breite in Metern (die automatische Projektion der Heatmap). Der Radius jeder Regel wird protokolliert; die Ausgabe ist der der gewählten Regel.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Punktlayer&lt;/b&gt;: Punkte oder Multipunkte.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Gewicht aus Feld&lt;/b&gt; (optional): Gewichte zählen in der ArcGIS-Regel (n ist ihre Summe, Zentrum und Abstände gewichtet), wenn alle null oder größer sind; die anderen Regeln verwenden nur die Lage der Punkte.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kernform&lt;/b&gt;: Der Radius ist der Trägerradius dieses Kerns mit der Streuung der Regel (sigma-basierte Regeln: quartisch R = sigma sqrt(8), Epanechnikov sqrt(6), gleichförmig 2, Triweight sqrt(10), Gauß 3).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Regel&lt;/b&gt;: Standard von ArcGIS Pro, 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 für den quartischen Kern; Scott-Regel, sigma = sqrt(sd_x sd_y) n^(-1/6); Likelihood-Kreuzvalidierung (bw.ppl von spatstat: das sigma, das die Leave-one-out-Log-Likelihood maximiert); Kriterium des mittleren quadratischen Fehlers nach Diggle (bw.diggle von spatstat). Die letzten beiden durchsuchen 16 Kandidaten zwischen dem Nächster-Nachbar-Abstand und der halben Ausdehnung der Punkte.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>KdeVolumeContoursAlgorithm</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="140"/>
        <source>Percent volume contours</source>
        <translation>Prozent-Volumenkonturen</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="80"/>
        <source>home range,utilisation distribution,hotspot,isopleth,volume,contour,percentile</source>
        <translation>Streifgebiet,Nutzungsverteilung,Hotspot,Isoplethe,Volumen,Kontur,Perzentil</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="94"/>
        <source>Polygons enclosing 50 %, 95 %, ... of a density surface&apos;s volume (home ranges, hotspots).</source>
        <translation>Polygone, die 50 %, 95 %, ... des Volumens einer Dichteoberfläche umschließen (Streifgebiete, Hotspots).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="125"/>
        <source>Input raster</source>
        <translation>Eingaberaster</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="126"/>
        <source>Band</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="135"/>
        <source>Percentages (comma-separated)</source>
        <translation>Prozentwerte (durch Kommas getrennt)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="356"/>
        <source>Cumulative volume percentage</source>
        <translation>Kumulierter Volumenprozentsatz</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="161"/>
        <source>Could not load the raster ({value}).</source>
        <translation>Das Raster konnte nicht geladen werden ({value}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="190"/>
        <source>Could not create the output layer ({value}).</source>
        <translation>Der Ausgabelayer konnte nicht erstellt werden ({value}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="213"/>
        <source>Could not write the polygon of {percent:g} %.</source>
        <translation>Das Polygon für {percent:g} % konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="216"/>
        <source>{percent:g} %: threshold {threshold:.6g}, {share:.3f} % of the mass in {cells} cells, area {area:.6g} {units}².</source>
        <translation>{percent:g} %: Schwellenwert {threshold:.6g}, {share:.3f} % der Masse in {cells} Zellen, Fläche {area:.6g} {units}².</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="230"/>
        <source>The {percent:g} % region reaches the edge of the raster, so its polygon is cut there: the raster&apos;s extent (or the heatmap&apos;s radius) is too small for it.</source>
        <translation>Die Region für {percent:g} % reicht bis an den Rand des Rasters, daher wird ihr Polygon dort abgeschnitten: Die Ausdehnung des Rasters (oder der Radius der Heatmap) ist dafür zu klein.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="263"/>
        <source>&quot;{text}&quot; is not a number. Give the percentages as numbers separated by commas, for example 50,95.</source>
        <translation>„{text}“ ist keine Zahl. Geben Sie die Prozentwerte als durch Kommas getrennte Zahlen an, zum Beispiel 50,95.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="268"/>
        <source>{percent:g} is not a usable percentage: each must be greater than 0 and at most 100.</source>
        <translation>{percent:g} ist kein verwendbarer Prozentwert: Jeder muss größer als 0 und höchstens 100 sein.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="273"/>
        <source>Give at least one percentage, for example 50,95.</source>
        <translation>Geben Sie mindestens einen Prozentwert an, zum Beispiel 50,95.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="275"/>
        <source>The raster &quot;{layer}&quot; has no cell above 0 (of its {count} cells with a value), so it holds no volume to enclose. Choose a density raster.</source>
        <translation>Das Raster „{layer}“ hat keine Zelle über 0 (von seinen {count} Zellen mit einem Wert), es enthält also kein Volumen, das sich umschließen ließe. Wählen Sie ein Dichteraster.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="279"/>
        <source>The cells of &quot;{layer}&quot; have no usable area ({area}). Check its georeferencing.</source>
        <translation>Die Zellen von „{layer}“ haben keine verwendbare Fläche ({area}). Prüfen Sie die Georeferenzierung des Rasters.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="290"/>
        <source>The raster &quot;{layer}&quot; has no coordinate reference system, so its areas mean nothing. Set its CRS (Layer Properties &gt; Source) first.</source>
        <translation>Das Raster „{layer}“ hat kein Koordinatenbezugssystem, daher sind seine Flächen bedeutungslos. Legen Sie zuerst sein KBS fest (Layereigenschaften &gt; Quelle).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="299"/>
        <source>The raster &quot;{layer}&quot; cannot be read through GDAL (provider {provider}). Save it as a GeoTIFF first.</source>
        <translation>Das Raster „{layer}“ kann nicht über GDAL gelesen werden (Provider {provider}). Speichern Sie es zuerst als GeoTIFF.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="306"/>
        <source>The raster &quot;{layer}&quot; has no band {band}.</source>
        <translation>Das Raster „{layer}“ hat keinen Kanal {band}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="314"/>
        <source>Could not read band {band} of &quot;{layer}&quot;.</source>
        <translation>Kanal {band} von „{layer}“ konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="347"/>
        <source>The cumulative volume raster needs square, north-up cells; those of &quot;{layer}&quot; are not. Leave that output empty, or warp the raster first.</source>
        <translation>Das Raster des kumulierten Volumenprozentsatzes braucht quadratische, nach Norden ausgerichtete Zellen; die von „{layer}“ sind es nicht. Lassen Sie diese Ausgabe leer, oder projizieren Sie das Raster zuerst neu (Warp).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="367"/>
        <source>Could not write the raster &quot;{path}&quot;: {reason}.</source>
        <translation>Das Raster „{path}“ konnte nicht geschrieben werden: {reason}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="377"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/volume_contours_algorithm.py" line="100"/>
        <source>&lt;p&gt;Draws the percent volume contours of a density raster, such as the Density output of &lt;i&gt;Kernel density heatmap&lt;/i&gt;: the home ranges of a utilisation distribution (as adehabitatHR&apos;s getverticeshr and ArcGIS Pro&apos;s Volume Percentile Contours) or the hotspots of a heatmap. The mass of a cell is its value (negative values count as 0) times its area; taking the cells from the highest value down, the threshold of p % is the value at which their mass first reaches p % of the total. The polygon of p % is the region at or above that threshold, outlined by the contour interpolated between cell centres; cells tied with the threshold are inside, so it may enclose a little more than p %.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Input raster&lt;/b&gt;: a raster with a CRS; NoData cells are left out.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Band&lt;/b&gt;: the band holding the surface (the first when left empty).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Percentages (comma-separated)&lt;/b&gt;: a list, each greater than 0 and at most 100, for example 50,95.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Percent volume contours&lt;/b&gt;: one (multi)polygon per percentage, with fields percent, threshold (the value at the contour), area (square map units) and mass_share (the share of the total mass it encloses, 0 to 1). A region that reaches the raster&apos;s edge is cut there and reported: the raster&apos;s extent (or the heatmap&apos;s radius) is then too small to hold it.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Cumulative volume percentage&lt;/b&gt; (optional): a raster giving for each cell the percentage of the total mass held by the cells at or above its value; the polygon of p % holds the cells up to the percentage its mass_share says.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Zeichnet die Prozent-Volumenkonturen eines Dichterasters, etwa der Ausgabe „Dichte“ der &lt;i&gt;Kerndichte-Heatmap&lt;/i&gt;: die Streifgebiete einer Nutzungsverteilung (wie getverticeshr aus adehabitatHR und Volume Percentile Contours aus ArcGIS Pro) oder die Hotspots einer Heatmap. Die Masse einer Zelle ist ihr Wert (negative Werte zählen als 0) multipliziert mit ihrer Fläche; nimmt man die Zellen vom höchsten Wert abwärts, ist der Schwellenwert für p % der Wert, bei dem ihre Masse erstmals p % der Gesamtmasse erreicht. Das Polygon für p % ist die Region auf oder über diesem Schwellenwert, umrissen von der zwischen den Zellmittelpunkten interpolierten Kontur; Zellen, deren Wert genau dem Schwellenwert entspricht, liegen innen, daher kann es etwas mehr als p % umschließen.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Eingaberaster&lt;/b&gt;: ein Raster mit KBS; NoData-Zellen werden ausgelassen.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kanal&lt;/b&gt;: der Kanal mit der Oberfläche (der erste, wenn leer gelassen).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Prozentwerte (durch Kommas getrennt)&lt;/b&gt;: eine Liste, jeder Wert größer als 0 und höchstens 100, zum Beispiel 50,95.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Prozent-Volumenkonturen&lt;/b&gt;: ein (Multi-)Polygon je Prozentwert, mit den Feldern percent, threshold (der Wert an der Kontur), area (Quadrat-Karteneinheiten) und mass_share (der Anteil der Gesamtmasse, den es umschließt, 0 bis 1). Eine Region, die den Rand des Rasters erreicht, wird dort abgeschnitten und gemeldet: Die Ausdehnung des Rasters (oder der Radius der Heatmap) ist dann zu klein, um sie zu fassen.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kumulierter Volumenprozentsatz&lt;/b&gt; (optional): ein Raster, das für jede Zelle den Prozentsatz der Gesamtmasse angibt, den die Zellen auf oder über ihrem Wert enthalten; das Polygon für p % enthält die Zellen bis zu dem Prozentsatz, den sein mass_share angibt.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>RelativeRiskAlgorithm</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="144"/>
        <source>Kernel density ratio / relative risk</source>
        <translation>Kerndichteverhältnis / relatives Risiko</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="147"/>
        <source>relative risk,ratio,cases,controls,relrisk,kde,density</source>
        <translation>relatives Risiko,Verhältnis,Fälle,Kontrollen,relrisk,KDE,Dichte</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="159"/>
        <source>The ratio of the kernel densities of cases and controls (relative risk).</source>
        <translation>Das Verhältnis der Kerndichten von Fällen und Kontrollen (relatives Risiko).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="199"/>
        <source>Cases</source>
        <translation>Fälle</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="199"/>
        <source>Controls</source>
        <translation>Kontrollen</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="206"/>
        <source>Radius</source>
        <translation>Radius</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="209"/>
        <source>Output raster size</source>
        <translation>Ausgaberastergröße</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="218"/>
        <source>Case weight from field</source>
        <translation>Fallgewicht aus Feld</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="218"/>
        <source>Control weight from field</source>
        <translation>Kontrollgewicht aus Feld</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="232"/>
        <source>Decay ratio (Triangular kernels only)</source>
        <translation>Abklingrate (nur Dreieckskerne)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="243"/>
        <source>Output extent</source>
        <translation>Ausgabeausdehnung</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="251"/>
        <source>Log ratio</source>
        <translation>Log-Verhältnis</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="264"/>
        <source>Relative risk</source>
        <translation>Relatives Risiko</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="273"/>
        <source>The radius must be greater than 0 (it is {radius}).</source>
        <translation>Der Radius muss größer als 0 sein (er ist {radius}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="278"/>
        <source>The output raster size must be greater than 0 (it is {size}).</source>
        <translation>Die Ausgaberastergröße muss größer als 0 sein (sie ist {size}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="285"/>
        <source>The control density threshold must be between 0 and 1, exclusive (it is {threshold}): it is a fraction of the largest control density.</source>
        <translation>Der Schwellenwert der Kontrolldichte muss zwischen 0 und 1 liegen, beide ausgeschlossen (er ist {threshold}): Er ist ein Anteil an der größten Kontrolldichte.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="294"/>
        <source>With a negative decay ({decay}) the triangular kernel is negative near the radius, and a ratio of densities needs a kernel that never is. Use a decay of 0 or more.</source>
        <translation>Bei einer negativen Abklingrate ({decay}) ist der Dreieckskern nahe dem Radius negativ, und ein Verhältnis von Dichten braucht einen Kern, der nie negativ ist. Verwenden Sie eine Abklingrate von 0 oder mehr.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="314"/>
        <source>Could not load the layer {parameter} ({value}).</source>
        <translation>Der Layer {parameter} konnte nicht geladen werden ({value}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="362"/>
        <source>Cancelled: no output was written.</source>
        <translation>Abgebrochen: Es wurde keine Ausgabe geschrieben.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="380"/>
        <source>Log relative risk (cases / controls)</source>
        <translation>Logarithmiertes relatives Risiko (Fälle / Kontrollen)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="381"/>
        <source>Relative risk (cases / controls)</source>
        <translation>Relatives Risiko (Fälle / Kontrollen)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="400"/>
        <source>The layer {parameter} has no features (or none is selected / passes the filter).</source>
        <translation>Der Layer {parameter} hat keine Objekte (oder keines ist ausgewählt bzw. passiert den Filter).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="410"/>
        <source>{count} points of {parameter} have a negative weight ({field}): a density ratio needs weights of 0 or more.</source>
        <translation>{count} Punkte von {parameter} haben ein negatives Gewicht ({field}): Ein Dichteverhältnis braucht Gewichte von 0 oder mehr.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="417"/>
        <source>The weights ({field}) of {parameter} are all 0.</source>
        <translation>Die Gewichte ({field}) von {parameter} sind alle 0.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="476"/>
        <source>A {rows} x {cols} raster needs {megabytes:.0f} MB for the control density, more than the memory available. Use a larger cell size or a smaller extent.</source>
        <translation>Ein Raster mit {rows} x {cols} Zellen braucht {megabytes:.0f} MB für die Kontrolldichte, mehr als der verfügbare Speicher. Verwenden Sie eine größere Zellgröße oder eine kleinere Ausdehnung.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="482"/>
        <source>Computing a {rows} x {cols} raster (cell size {cell_size:g}).</source>
        <translation>Berechne ein Raster mit {rows} x {cols} Zellen (Zellgröße {cell_size:g}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="520"/>
        <source>The densities cannot be computed: {reason}</source>
        <translation>Die Dichten können nicht berechnet werden: {reason}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="525"/>
        <source>No control point reaches the raster: the control density is 0 everywhere. Check the extent, or use a larger radius.</source>
        <translation>Kein Kontrollpunkt erreicht das Raster: Die Kontrolldichte ist überall 0. Prüfen Sie die Ausdehnung, oder verwenden Sie einen größeren Radius.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="533"/>
        <source>Total weights: cases {cases:g}, controls {controls:g}. The ratio is of the densities divided by these totals; times {factor:g} it is the ratio of the densities themselves. Cells whose control density is below {cutoff:.6g} ({percent:g} % of its maximum {largest:.6g}) are NoData.</source>
        <translation>Gesamtgewichte: Fälle {cases:g}, Kontrollen {controls:g}. Das Verhältnis bezieht sich auf die durch diese Summen geteilten Dichten; mal {factor:g} ist es das Verhältnis der Dichten selbst. Zellen, deren Kontrolldichte unter {cutoff:.6g} liegt ({percent:g} % ihres Maximums {largest:.6g}), sind NoData.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="613"/>
        <source>Could not write the raster &quot;{path}&quot;: {reason}.</source>
        <translation>Das Raster „{path}“ konnte nicht geschrieben werden: {reason}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="619"/>
        <source>The style could not be saved beside the raster: {reason}</source>
        <translation>Der Stil konnte nicht neben dem Raster gespeichert werden: {reason}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="624"/>
        <source>{count} of {cells} cells are NoData because their control density is below the threshold.</source>
        <translation>{count} von {cells} Zellen sind NoData, weil ihre Kontrolldichte unter dem Schwellenwert liegt.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="631"/>
        <source>{count} more cells are NoData because no case reaches them: their log ratio would be minus infinity.</source>
        <translation>{count} weitere Zellen sind NoData, weil kein Fall sie erreicht: Ihr Log-Verhältnis wäre minus unendlich.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="638"/>
        <source>Every cell is NoData: lower the threshold.</source>
        <translation>Jede Zelle ist NoData: Senken Sie den Schwellenwert.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="674"/>
        <source>The output extent could not be transformed: {reason}</source>
        <translation>Die Ausgabeausdehnung konnte nicht transformiert werden: {reason}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="687"/>
        <source>No raster grid fits these parameters: {reason}</source>
        <translation>Kein Rastergitter passt zu diesen Parametern: {reason}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="162"/>
        <source>&lt;p&gt;Divides the kernel density of the cases by that of the controls (for example disease cases by the population at risk). Both densities are the heatmap&apos;s Density, with the same kernel and radius, on one grid, and each is divided by its total weight before the ratio is taken (Kelsall and Diggle&apos;s relative risk): 1 means cases are as common relative to controls as in the whole data, 2 twice as common. The ratio of the intensities themselves (spatstat&apos;s relrisk with relative=TRUE) is this value times the total case weight over the total control weight, which the log gives.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Cases&lt;/b&gt;, &lt;b&gt;Controls&lt;/b&gt;: point layers, in any CRS; the controls are transformed to the CRS the cases are computed in (the cases&apos; CRS, or a local projection in metres for a layer in degrees).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius&lt;/b&gt;: kernel radius, in the units of that CRS (metres for a layer in degrees); greater than 0.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output raster size&lt;/b&gt;: side of a cell, in the same units; greater than 0.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kernel shape&lt;/b&gt; and &lt;b&gt;Decay ratio (Triangular kernels only)&lt;/b&gt; (0 or more): as in the heatmap.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Case weight from field&lt;/b&gt;, &lt;b&gt;Control weight from field&lt;/b&gt; (optional): numeric fields whose values (0 or more) weight the points; NULL values are skipped.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Grid of a raster (template)&lt;/b&gt; (optional): the raster takes this layer&apos;s CRS, origin, cell size, rows and columns (square north-up cells), so that the ratio can be compared cell by cell with it; it replaces the output extent and cell size.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output extent&lt;/b&gt; (optional): the raster&apos;s extent; by default it covers the points of both layers grown by the radius.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Log ratio&lt;/b&gt;: write the natural logarithm of the ratio (0 for no difference); cells without any case density are then NoData.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Control density threshold&lt;/b&gt;: a fraction of the controls&apos; largest density, between 0 and 1; cells whose control density is below it are NoData (a ratio over almost no controls is noise). The log says how many.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Relative risk&lt;/b&gt;: the output raster, styled with a diverging ramp centred on 1 (0 for the log ratio).&lt;/p&gt;</source>
        <translation>&lt;p&gt;Teilt die Kerndichte der Fälle durch die der Kontrollen (zum Beispiel Krankheitsfälle durch die Risikobevölkerung). Beide Dichten sind die Dichte der Heatmap, mit demselben Kern und Radius, auf einem gemeinsamen Gitter, und jede wird durch ihr Gesamtgewicht geteilt, bevor das Verhältnis gebildet wird (relatives Risiko nach Kelsall und Diggle): 1 bedeutet, dass Fälle im Verhältnis zu den Kontrollen so häufig sind wie in den gesamten Daten, 2 doppelt so häufig. Das Verhältnis der Intensitäten selbst (relrisk aus spatstat mit relative=TRUE) ist dieser Wert mal dem Gesamtgewicht der Fälle geteilt durch das Gesamtgewicht der Kontrollen; beide Gesamtgewichte stehen im Protokoll.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Fälle&lt;/b&gt;, &lt;b&gt;Kontrollen&lt;/b&gt;: Punktlayer in beliebigem KBS; die Kontrollen werden in das KBS transformiert, in dem die Fälle berechnet werden (das KBS der Fälle oder, für einen Layer in Grad, eine lokale Projektion in Metern).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius&lt;/b&gt;: Kernradius in den Einheiten dieses KBS (Meter für einen Layer in Grad); größer als 0.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ausgaberastergröße&lt;/b&gt;: Seitenlänge einer Zelle in denselben Einheiten; größer als 0.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kernform&lt;/b&gt; und &lt;b&gt;Abklingrate (nur Dreieckskerne)&lt;/b&gt; (0 oder mehr): wie in der Heatmap.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Fallgewicht aus Feld&lt;/b&gt;, &lt;b&gt;Kontrollgewicht aus Feld&lt;/b&gt; (optional): numerische Felder, deren Werte (0 oder mehr) die Punkte gewichten; NULL-Werte werden übersprungen.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Gitter eines Rasters (Vorlage)&lt;/b&gt; (optional): Das Raster übernimmt KBS, Ursprung, Zellgröße, Zeilen und Spalten dieses Layers (quadratische, nordausgerichtete Zellen), sodass das Verhältnis Zelle für Zelle mit ihm verglichen werden kann; sie ersetzt Ausgabeausdehnung und Zellgröße.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ausgabeausdehnung&lt;/b&gt; (optional): die Ausdehnung des Rasters; standardmäßig deckt sie die Punkte beider Layer ab, erweitert um den Radius.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Log-Verhältnis&lt;/b&gt;: den natürlichen Logarithmus des Verhältnisses schreiben (0 für keinen Unterschied); Zellen ganz ohne Falldichte sind dann NoData.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Schwellenwert der Kontrolldichte&lt;/b&gt;: ein Anteil an der größten Dichte der Kontrollen, zwischen 0 und 1; Zellen, deren Kontrolldichte darunter liegt, sind NoData (ein Verhältnis über fast keine Kontrollen ist Rauschen). Das Protokoll gibt an, wie viele.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Relatives Risiko&lt;/b&gt;: das Ausgaberaster, gestaltet mit einem divergierenden Farbverlauf mit der Mitte bei 1 (bei 0 für das Log-Verhältnis).&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="246"/>
        <source>Grid of a raster (template)</source>
        <translation>Gitter eines Rasters (Vorlage)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="331"/>
        <source>The template raster decides the grid: leave the output extent empty, or the template.</source>
        <translation>Das Vorlagenraster bestimmt das Gitter: Lassen Sie die Ausgabeausdehnung leer oder die Vorlage.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/relative_risk_algorithm.py" line="254"/>
        <source>Control density threshold</source>
        <translation>Schwellenwert der Kontrolldichte</translation>
    </message>
</context>
<context>
    <name>SmoothAlgorithm</name>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="64"/>
        <source>Kernel-smoothed field value</source>
        <translation>Kerngeglätteter Feldwert</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="67"/>
        <source>smooth,nadaraya-watson,kernel regression,value,average,kde</source>
        <translation>Glättung,Nadaraya-Watson,Kernregression,Wert,Mittelwert,KDE</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="79"/>
        <source>A heatmap by value: the kernel-weighted average of a field.</source>
        <translation>Eine Heatmap nach Wert: der kerngewichtete Mittelwert eines Feldes.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="106"/>
        <source>Field to smooth</source>
        <translation>Zu glättendes Feld</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="114"/>
        <source>Radius</source>
        <translation>Radius</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="117"/>
        <source>Output raster size</source>
        <translation>Ausgaberastergröße</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="128"/>
        <source>Decay ratio (Triangular kernels only)</source>
        <translation>Abklingrate (nur Dreieckskerne)</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="139"/>
        <source>Smoothed value</source>
        <translation>Geglätteter Wert</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="148"/>
        <source>The radius must be greater than 0 (it is {radius}).</source>
        <translation>Der Radius muss größer als 0 sein (er ist {radius}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="153"/>
        <source>The output raster size must be greater than 0 (it is {size}).</source>
        <translation>Die Ausgaberastergröße muss größer als 0 sein (sie ist {size}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="161"/>
        <source>With a negative decay ({decay}) the triangular kernel is negative near the radius, and a weighted average needs a kernel that never is. Use a decay of 0 or more.</source>
        <translation>Bei einer negativen Abklingrate ({decay}) ist der Dreieckskern nahe dem Radius negativ, und ein gewichteter Mittelwert braucht einen Kern, der nie negativ ist. Verwenden Sie eine Abklingrate von 0 oder mehr.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="170"/>
        <source>Could not load the point layer ({value}).</source>
        <translation>Der Punktlayer konnte nicht geladen werden ({value}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="180"/>
        <source>The layer has no numeric field &quot;{field}&quot;. Choose a numeric field to smooth.</source>
        <translation>Der Layer hat kein numerisches Feld „{field}“. Wählen Sie ein numerisches Feld zum Glätten.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="217"/>
        <source>Cancelled: no output was written.</source>
        <translation>Abgebrochen: Es wurde keine Ausgabe geschrieben.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="229"/>
        <source>Kernel-smoothed {field}</source>
        <translation>{field}, kerngeglättet</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="276"/>
        <source>The point layer has no features (or none is selected / passes the filter). Choose a layer with points.</source>
        <translation>Der Punktlayer hat keine Objekte (oder keines ist ausgewählt bzw. passiert den Filter). Wählen Sie einen Layer mit Punkten.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="282"/>
        <source>{count} features skipped because their geometry is NULL, empty, not a point or not finite.</source>
        <translation>{count} Objekte übersprungen, weil ihre Geometrie NULL, leer, kein Punkt oder nicht endlich ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="282"/>
        <source>{count} features skipped because their value ({field}) is NULL or not a finite number.</source>
        <translation>{count} Objekte übersprungen, weil ihr Wert ({field}) NULL oder keine endliche Zahl ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="282"/>
        <source>{count} features skipped because their weight ({field}) is NULL or not a finite number.</source>
        <translation>{count} Objekte übersprungen, weil ihr Gewicht ({field}) NULL oder keine endliche Zahl ist.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="312"/>
        <source>{count} features have a negative weight ({field}): a weighted average needs weights of 0 or more.</source>
        <translation>{count} Objekte haben ein negatives Gewicht ({field}): Ein gewichteter Mittelwert braucht Gewichte von 0 oder mehr.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="319"/>
        <source>None of the {count} features has a point and a value (see the warnings above).</source>
        <translation>Keines der {count} Objekte hat einen Punkt und einen Wert (siehe die Warnungen oben).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="326"/>
        <source>The weights ({field}) are all 0.</source>
        <translation>Die Gewichte ({field}) sind alle 0.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="337"/>
        <source>Read {points} points with a value from {features} features.</source>
        <translation>{points} Punkte mit einem Wert aus {features} Objekten gelesen.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="369"/>
        <source>Computing a {rows} x {cols} raster (cell size {cell_size:g}).</source>
        <translation>Berechne ein Raster mit {rows} x {cols} Zellen (Zellgröße {cell_size:g}).</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="399"/>
        <source>The kernel sums cannot be computed: {reason}</source>
        <translation>Die Kernsummen können nicht berechnet werden: {reason}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="447"/>
        <source>Could not write the raster &quot;{path}&quot;: {reason}.</source>
        <translation>Das Raster „{path}“ konnte nicht geschrieben werden: {reason}.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="453"/>
        <source>The style could not be saved beside the raster: {reason}</source>
        <translation>Der Stil konnte nicht neben dem Raster gespeichert werden: {reason}</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="458"/>
        <source>{count} of {cells} cells are NoData: no point reaches them.</source>
        <translation>{count} von {cells} Zellen sind NoData: Kein Punkt erreicht sie.</translation>
    </message>
    <message>
        <location filename="../kde_heatmap_plugin/processing/smooth_algorithm.py" line="82"/>
        <source>&lt;p&gt;Each cell holds the kernel-weighted average of a field of the points around it (Nadaraya-Watson, spatstat&apos;s Smooth.ppp): m(u) = sum w_i v_i K(u - x_i) / sum w_i K(u - x_i), where v_i is the field value and w_i the weight of point i. Cells that no point reaches (the denominator is 0) are NoData. The values stay between the field&apos;s smallest and largest values.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Point layer&lt;/b&gt;: points or multipoints, in any CRS (a layer in degrees is projected to metres, as in the heatmap).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Field to smooth&lt;/b&gt;: a numeric field; features where it is NULL or not a finite number are skipped and counted in the log.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius&lt;/b&gt;: kernel radius, greater than 0, in the units of the computation CRS.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output raster size&lt;/b&gt;: side of a cell, greater than 0, in the same units.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Weight from field&lt;/b&gt; (optional): a numeric field of weights, 0 or more (NULL values skipped).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kernel shape&lt;/b&gt; and &lt;b&gt;Decay ratio (Triangular kernels only)&lt;/b&gt; (0 or more): as in the heatmap.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Smoothed value&lt;/b&gt;: the output raster, styled from the field&apos;s minimum to its maximum.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Jede Zelle enthält den kerngewichteten Mittelwert eines Feldes der Punkte in ihrer Umgebung (Nadaraya-Watson, Smooth.ppp aus spatstat): m(u) = sum w_i v_i K(u - x_i) / sum w_i K(u - x_i), wobei v_i der Feldwert und w_i das Gewicht von Punkt i ist. Zellen, die kein Punkt erreicht (der Nenner ist 0), sind NoData. Die Werte bleiben zwischen dem kleinsten und dem größten Wert des Feldes.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Punktlayer&lt;/b&gt;: Punkte oder Multipunkte in beliebigem KBS (ein Layer in Grad wird wie in der Heatmap in Meter projiziert).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Zu glättendes Feld&lt;/b&gt;: ein numerisches Feld; Objekte, bei denen es NULL oder keine endliche Zahl ist, werden übersprungen und im Protokoll gezählt.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Radius&lt;/b&gt;: Kernradius, größer als 0, in den Einheiten des Berechnungs-KBS.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Ausgaberastergröße&lt;/b&gt;: Seitenlänge einer Zelle, größer als 0, in denselben Einheiten.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Gewicht aus Feld&lt;/b&gt; (optional): ein numerisches Feld mit Gewichten, 0 oder mehr (NULL-Werte werden übersprungen).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kernform&lt;/b&gt; und &lt;b&gt;Abklingrate (nur Dreieckskerne)&lt;/b&gt; (0 oder mehr): wie in der Heatmap.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Geglätteter Wert&lt;/b&gt;: das Ausgaberaster, gestaltet vom Minimum bis zum Maximum des Feldes.&lt;/p&gt;</translation>
    </message>
</context>
</TS>

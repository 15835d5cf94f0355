# Shortcuts for the scripts in scripts/ (which work without make on a fresh machine).
.PHONY: sample test package translations

sample:  ## set up and make a styled heatmap of the shipped sample with qgis_process
	scripts/run-sample.sh

test:  ## set up and run the whole test suite, then lint
	scripts/test.sh

package:  ## build dist/kde_heatmap-<version>.zip for the plugin repository
	scripts/package.sh

translations:  ## refresh i18n/*.ts from the sources and compile them to .qm
	scripts/translations.sh

#!/usr/bin/env bash
# Refresh the translation sources i18n/kde_heatmap_<lang>.ts from the code (pylupdate5 files
# each self.tr() string under its class name) and compile them to .qm (lrelease).
# Needs Debian's pyqt5-dev-tools and qttools5-dev-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(find kde_heatmap_plugin -name '*.py' -not -path '*/core/*' | sort)
for ts in i18n/kde_heatmap_*.ts; do
    pylupdate5 -noobsolete "${sources[@]}" -ts "$ts"
done
lrelease=$(command -v lrelease || echo /usr/lib/qt5/bin/lrelease)
"$lrelease" -silent i18n/kde_heatmap_*.ts

#!/usr/bin/env bash
# Install what KDE Heatmap needs on Debian 12 or Ubuntu 22.04+, idempotently:
#   - QGIS, its Python bindings and providers from the distribution (apt), which bring NumPy
#     and GDAL's Python bindings for /usr/bin/python3;
#   - with --dev: the test tools (with pylupdate5 and lrelease, so that the tests can check
#     the translations, pyproj, a reference for the geodesic distances, and Dask, for the
#     command line's cluster mode), and a virtual
#     environment .venv that sees those system
#     packages, with pytest-qgis (2.1.0: the last release for QGIS older than 3.34), ruff, and
#     pyarrow for the command line's Parquet input (below 26, the first to need NumPy 2;
#     Debian 12 has NumPy 1.24).
# Packages already installed are not asked for again, so a second run takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(qgis python3-qgis qgis-providers)
if [ "${1:-}" = "--dev" ]; then
    packages+=(python3-pytest python3-hypothesis python3-venv python3-pip time pyqt5-dev-tools
        qttools5-dev-tools python3-pyproj python3-dask python3-distributed)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing ${missing[*]} (apt)..."
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--dev" ]; then
    [ -x .venv/bin/python ] || /usr/bin/python3 -m venv --system-site-packages .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check \
        "pytest-qgis==2.1.0" "ruff==0.17.6" "pyarrow<26"
fi

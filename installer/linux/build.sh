#!/usr/bin/env bash
# Build the Linux one-folder bundle: dist/Lumbung/lumbung (+ _internal/), and a tarball.
#
#   installer/linux/build.sh                 # a fresh venv in .venv-build, then PyInstaller
#   PYTHON=python3.11 installer/linux/build.sh
#   LUMBUNG_BUILD_NO_VENV=1 installer/linux/build.sh   # use the current Python as it is
#   DIST=/tmp/out WORK=/tmp/work installer/linux/build.sh
#
# Then try it without a display:
#   dist/Lumbung/lumbung --version
#   dist/Lumbung/lumbung --db /tmp/demo.sqlite demo --members 20 --years 1
#   dist/Lumbung/lumbung --db /tmp/demo.sqlite check
#   QT_QPA_PLATFORM=offscreen LUMBUNG_QUIT_AFTER_MS=3000 dist/Lumbung/lumbung --db /tmp/demo.sqlite
#
# Qt needs the system libraries listed in README.md ("Linux system packages") on the
# machine that runs the bundle; the bundle carries Python, Qt and every Python package.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
DIST="${DIST:-$ROOT/dist}"
WORK="${WORK:-$ROOT/build}"
PYTHON="${PYTHON:-python3}"

if [ "${LUMBUNG_BUILD_NO_VENV:-}" = "1" ]; then
  PY="$PYTHON"
else
  VENV="${VENV:-$ROOT/.venv-build}"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  PY="$VENV/bin/python"
  "$PY" -m pip install -q --upgrade pip
  # The `build` extra brings PyInstaller (pip only warns about an extra it does not know).
  "$PY" -m pip install -q -e ".[build]"
  "$PY" -c "import PyInstaller" 2>/dev/null || "$PY" -m pip install -q "pyinstaller>=6.10"
fi

VERSION="$("$PY" -c 'import app; print(app.__version__)')"
echo "Lumbung $VERSION: PyInstaller into $DIST/Lumbung" >&2
start=$(date +%s)
QT_QPA_PLATFORM=offscreen "$PY" -m PyInstaller --noconfirm --clean \
  --distpath "$DIST" --workpath "$WORK" installer/lumbung.spec
echo "built in $(( $(date +%s) - start )) s; $(du -sh "$DIST/Lumbung" | cut -f1)" >&2

"$DIST/Lumbung/lumbung" --version

if [ "${LUMBUNG_BUILD_NO_TAR:-}" != "1" ]; then
  arch="$(uname -m)"
  tarball="$DIST/Lumbung-$VERSION-linux-$arch.tar.gz"
  tar -C "$DIST" -czf "$tarball" Lumbung
  echo "$tarball ($(du -h "$tarball" | cut -f1))" >&2
fi

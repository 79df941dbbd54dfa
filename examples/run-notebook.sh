#!/bin/sh
# run-notebook.sh executes examples/kg-tour.ipynb end to end against a
# fresh store in a temporary directory, and writes the executed copy
# (outputs included) to $1, default kg-tour.executed.ipynb in that
# directory. It fails if any cell fails.
#
# Needs Go (to build kg, unless KG names a kg binary) and a Python 3 with
# nbclient, ipykernel, pandas, networkx and matplotlib; on Debian/Ubuntu:
#   apt-get install python3-nbclient python3-ipykernel python3-pandas \
#                   python3-networkx python3-matplotlib
# PYTHON picks the interpreter (default /usr/bin/python3, where the Debian
# packages are).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
py=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/kg-tour.XXXXXX")
if [ -z "${KG:-}" ]; then
	(cd "$root" && go build -o "$work/kg" ./cmd/kg)
	KG=$work/kg
fi
out=${1:-$work/kg-tour.executed.ipynb}
KG_SEEDS=${KG_SEEDS:-$root/seeds}
KG_WORK=$work
PYDEVD_DISABLE_FILE_VALIDATION=1
export KG KG_SEEDS KG_WORK PYDEVD_DISABLE_FILE_VALIDATION
"$py" - "$here/kg-tour.ipynb" "$out" "$work" <<'PY'
import sys
import nbformat
from nbclient import NotebookClient

src, out, work = sys.argv[1:4]
nb = nbformat.read(src, as_version=4)
client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": work}})
try:
    client.execute()
finally:
    nbformat.write(nb, out)
print("executed", src, "->", out)
PY

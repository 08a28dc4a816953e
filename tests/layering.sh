#!/bin/bash
# The layering the architecture promises (README's Layout, docs/engine.md), checked on the source
# and on the unit test binary:
#   pipeline/ (the engine) includes nothing of the studies or the command line;
#   app/ (the command line) includes no kind: kinds add their commands, the binary links a registry;
#   models/, stats/ and data/ know nothing of MPI or HDF5 (nor of jobs/, app/ or training/), and
#   stats/ (backtests of the models' forecasts) is above models/;
#   training/ knows no model and no study; the unit tests run without LibTorch.
# usage: tests/layering.sh SOURCE_DIR UNIT_TEST_BINARY
set -u
source_dir=$1 unit_binary=$2
failed=0
violations() {  # folder, pattern, what is forbidden
  local found
  found=$(grep -rnE --include='*.h' --include='*.cpp' --include='*.cuh' "$2" "$source_dir/$1")
  if [[ -n $found ]]; then
    echo "FAIL: $1/ must not include $3:"
    echo "$found" | sed "s|$source_dir/||"
    failed=1
  fi
}
include='^\s*#\s*include\s*'
mpi_or_hdf5="$include[<\"](mpi|hdf5|H5[A-Za-z]*)\.h[>\"]"
for science in models stats data; do
  violations $science "$mpi_or_hdf5" "MPI or HDF5 headers"
  violations $science "$include\"(jobs|app|training|pipeline)/" "jobs/, app/, training/ or pipeline/"
done
violations models "$include\"stats/" "stats/ (the backtests read models' forecasts, not back)"
violations data "$include\"(models|stats)/" "models/ or stats/"
violations pipeline "$include\"(jobs|models|app|training|data|stats)/" \
  "jobs/, models/, app/, training/, data/ or stats/"
violations app "$include\"(jobs|models|training|data|stats)/" "a kind or its science"
# Inside the engine: a run uses the spec, the layout, the process and the store, never back.
for part in core spec layout process store comm cluster tables; do
  violations pipeline/$part "$include\"pipeline/run/" "pipeline/run/ (the sweep uses it, not back)"
done
violations pipeline/core "$include\"pipeline/(spec|layout|process|store|comm|cluster|tables)/" \
  "another part of the engine (core is what a study sees)"
violations training "$include\"(jobs|models|app)/" "a model, a kind or the command line"
if ! libraries=$(ldd "$unit_binary"); then
  echo "FAIL: cannot list the libraries of $unit_binary"
  failed=1
elif grep -E 'lib(torch|c10)' <<<"$libraries"; then
  echo "FAIL: the unit test binary $unit_binary links LibTorch (above)"
  failed=1
fi
((failed == 0)) && echo "layering holds: pipeline/ and app/ without the studies, models/ stats/ data/" \
  "without MPI/HDF5 or the engine, training/ without models, unit tests without LibTorch"
exit $failed

#!/bin/bash
# The layering the architecture promises (docs/engine.md, README's Layout), checked on the source
# and on the unit test binary: models/ knows nothing of MPI or HDF5; pipeline/ includes nothing
# from jobs/ or models/; the unit tests run without LibTorch.
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
violations models '^\s*#\s*include\s*[<"](mpi|hdf5|H5[A-Za-z]*)\.h[>"]' "MPI or HDF5 headers"
violations pipeline '^\s*#\s*include\s*"(jobs|models)/' "anything from jobs/ or models/"
if ! libraries=$(ldd "$unit_binary"); then
  echo "FAIL: cannot list the libraries of $unit_binary"
  failed=1
elif grep -E 'lib(torch|c10)' <<<"$libraries"; then
  echo "FAIL: the unit test binary $unit_binary links LibTorch (above)"
  failed=1
fi
((failed == 0)) && echo "layering holds: models/ without MPI/HDF5, pipeline/ without jobs/ or models/, unit tests without LibTorch"
exit $failed

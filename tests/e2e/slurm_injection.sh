#!/usr/bin/env bash
# Hostile values on a real (local) Slurm: names, partitions, accounts and time limits that try to
# smuggle in #SBATCH lines or shell code are rejected (exit 2, nothing submitted); spec and output
# paths full of quotes, $(...), backticks, spaces and newlines are neutralised: the job runs the
# sweep into exactly that directory and no injected command runs.
# usage: slurm_injection.sh RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR
set -euo pipefail
source "$(dirname "$0")/slurm_lib.bash"
slurm_setup "$1" "$2"

# Injected commands would create a file named INJECTED in the working directory (the job's too).
cd "$work"
marker=INJECTED
jobs_before=$(squeue -h | wc -l)
hostile=("a b" $'x\n#SBATCH --uid=0' "\$(touch $marker)" "\`touch $marker\`" "x;touch $marker" "a'b")
for value in "${hostile[@]}"; do
  for option in --job-name --partition --account --time; do
    status=0
    "$riskstep" slurm submit "$spec" --out "$work/never" "$option" "$value" >/dev/null 2>"$work/err" ||
      status=$?
    [[ $status -eq 2 ]] || slurm_fail "$option '$value' gave exit $status, expected 2"
    [[ $(wc -l <"$work/err") -eq 1 ]] || slurm_fail "$option '$value': expected one error line: $(cat "$work/err")"
  done
done
[[ $(squeue -h | wc -l) -eq $jobs_before ]] || slurm_fail "a rejected submission reached Slurm"
[[ ! -e $work/never ]] || slurm_fail "a rejected submission created its output directory"

dir="$work/it's \"\$(touch $marker)\" \`touch $marker\`; touch $marker"$'\n'"line2"
mkdir -p "$dir"
cp "$spec" "$dir/spec \$(touch $marker).toml"
out="$dir/out 'x' \$HOME"
"$riskstep" slurm submit "$dir/spec \$(touch $marker).toml" --out "$out" --ntasks-per-node 2 --time 10 --dry-run |
  bash -n || slurm_fail "the dry-run script does not parse"
job=$("$riskstep" slurm submit "$dir/spec \$(touch $marker).toml" --out "$out" --ntasks-per-node 2 --time 10)
wait_for_job "$job" 600
[[ $(job_state "$job") == COMPLETED ]] || slurm_fail "job $job ended $(job_state "$job")"
[[ -z $(find "$work" -name "$marker") ]] || slurm_fail "an injected command ran"
[[ -f "$out/results.h5" ]] || slurm_fail "no results.h5 in the hostile output directory"
direct_run "$work/direct"
same_results "$work/direct/results.h5" "$out/results.h5" "$job"
echo "PASS: hostile values rejected or neutralised (job $job)"

#!/usr/bin/env bash
# What a real cluster needs (riskstep slurm submit): a spec on a node-local path is copied into
# OUT/slurm/ and read from there (with a warning); a setup hook runs first and shows in the job's
# log; --mem, --qos-less defaults and --export are rendered and slurmctld accepts the job; a site
# template (--template) with only the required placeholders runs the sweep; a GPU request for a
# CPU kind is warned about; a refused sbatch prints its own lines and what to check.
# usage: slurm_site.sh RISKSTEP_BINARY SOURCE_DIR SHARED_DATA_DIR
set -euo pipefail
source "$(dirname "$0")/slurm_lib.bash"
slurm_setup "$1" "$2"

cp "$spec" "$work/node-local-spec.toml"   # $work lies in /tmp
cat > "$work/site.sbatch.in" <<'TEMPLATE'
#!/bin/bash
@SBATCH_LINES@
echo "site template in use"
@SETUP@
@ENVIRONMENT@
exec mpirun -np 2 @RISKSTEP@ sweep @SPEC@ --out @OUT@ --no-progress
TEMPLATE
job=$("$riskstep" slurm submit "$work/node-local-spec.toml" --out "$work/site" --ntasks-per-node 2 \
  --time 00:10:00 --mem 200M --export ALL --setup 'echo "setup hook ran on $(hostname)"' \
  --template "$work/site.sbatch.in" 2> "$work/submit.err")
[[ $job =~ ^[0-9]+$ ]] || slurm_fail "submit printed '$job', not a job id: $(cat "$work/submit.err")"
grep -q "warning: the spec .*node-local-spec.toml lies on a node-local file system" "$work/submit.err" ||
  slurm_fail "no warning for the spec under /tmp: $(cat "$work/submit.err")"
script="$work/site/slurm/riskstep-node-local-spec.sbatch"
grep -q "^#SBATCH --mem=200M" "$script" || slurm_fail "--mem not rendered"
grep -q "^#SBATCH --export=ALL" "$script" || slurm_fail "--export not rendered"
grep -q "$work/site/slurm/riskstep-node-local-spec.spec.toml" "$script" ||
  slurm_fail "the job does not read the spec's copy"
[[ -f $work/site/slurm/riskstep-node-local-spec.spec.toml ]] || slurm_fail "no copy of the spec"
rm "$work/node-local-spec.toml"   # the job must not need it any more
wait_for_job "$job" 600
state=$(job_state "$job")
[[ $state == COMPLETED ]] || slurm_fail "job $job ended $state"
log=$(ls "$work"/site/slurm/*-"$job".out)
grep -q "site template in use" "$log" || slurm_fail "the site template did not run"
grep -q "riskstep-slurm: running the site setup" "$log" || slurm_fail "no setup line in the log"
grep -q "setup hook ran on" "$log" || slurm_fail "the setup hook did not run"
[[ $(job_field "$job" MinMemoryNode) == 200M ]] || slurm_fail "slurmctld did not take --mem 200M"
[[ -f $work/site/results.h5 ]] || slurm_fail "no results.h5"

# GPUs for a CPU kind: a warning. A template without a required placeholder: refused.
"$riskstep" slurm submit "$spec" --out "$work/gpu" --gpus-per-node 1 --dry-run > /dev/null 2> "$work/gpu.err"
grep -q "computes on CPUs only" "$work/gpu.err" || slurm_fail "no warning for GPUs on backtest_var"

# --qos, --constraint, --gres (a GPU in --gres is warned about too), --export NONE and a setup
# file, rendered as written.
printf 'module load openmpi/4\nexport SITE_VAR=1\n' > "$work/env.sh"
"$riskstep" slurm submit "$spec" --out "$work/opts" --qos high --constraint 'skylake&ib' \
  --gres gpu:a100:1 --export NONE --setup-file "$work/env.sh" --dry-run > "$work/opts.sbatch" \
  2> "$work/opts.err" || slurm_fail "dry run with --qos ...: $(cat "$work/opts.err")"
for line in "#SBATCH --qos=high" "#SBATCH --constraint=skylake&ib" "#SBATCH --gres=gpu:a100:1" \
  "#SBATCH --export=NONE" "module load openmpi/4" "export SITE_VAR=1"; do
  grep -qxF "$line" "$work/opts.sbatch" || slurm_fail "not rendered: $line"
done
grep -q -- "--gres gpu:a100:1: backtest_var computes on CPUs only" "$work/opts.err" ||
  slurm_fail "no warning for a GPU in --gres: $(cat "$work/opts.err")"
set +e
"$riskstep" slurm submit "$spec" --out "$work/opts" --setup-file "$work/missing.sh" --dry-run \
  > /dev/null 2> "$work/missing.err"
status=$?
set -e
[[ $status -eq 2 ]] && grep -q -- "--setup-file: $work/missing.sh: cannot read: No such file" "$work/missing.err" ||
  slurm_fail "a missing --setup-file: exit $status, $(cat "$work/missing.err")"
printf '#!/bin/bash\n@SBATCH_LINES@\n@RISKSTEP@ sweep @SPEC@\n' > "$work/bad.sbatch.in"
set +e
"$riskstep" slurm submit "$spec" --out "$work/bad" --template "$work/bad.sbatch.in" --dry-run \
  > /dev/null 2> "$work/bad.err"
status=$?
set -e
[[ $status -eq 2 ]] && grep -q "does not use @OUT@" "$work/bad.err" ||
  slurm_fail "a template without @OUT@: exit $status, $(cat "$work/bad.err")"

# sbatch refuses (an unknown partition): its own lines, then what to check; exit 1.
set +e
"$riskstep" slurm submit "$spec" --out "$work/refused" --partition nosuchpartition > /dev/null \
  2> "$work/refused.err"
status=$?
set -e
[[ $status -eq 1 ]] || slurm_fail "a refused sbatch: exit $status"
grep -q "^  sbatch: error:" "$work/refused.err" || slurm_fail "sbatch's lines: $(cat "$work/refused.err")"
grep -q "check that Slurm answers" "$work/refused.err" || slurm_fail "no hint after sbatch's error"
grep -q '\\n' "$work/refused.err" && slurm_fail "literal \\n in the message"
echo "PASS: site template, setup hook, --mem, node-local spec, GPU warning, sbatch errors"

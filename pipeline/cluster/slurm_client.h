#pragma once
// Talking to Slurm through its commands: sbatch to submit, scontrol to requeue. Commands run
// with an argument vector (no shell), so no value is ever parsed as shell code here.
#include <stdexcept>
#include <string>
#include <vector>

namespace riskstep {

struct CommandResult {
  int exit_status = -1;  // 128 + signal when killed by one
  std::string output;    // stdout and stderr together
};

// Runs argv[0] found on PATH, with `environment` ("NAME=value" each) or, when null, this
// process's environment; throws when it cannot be started.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::vector<std::string>* environment = nullptr);

// This process's environment without what MPI_Init put there (Open MPI's singleton PMIx server,
// ess, rank variables). sbatch passes its environment on to the job, where those would make
// mpirun believe it already runs inside an MPI job. The user's OMPI_MCA_* settings stay.
std::vector<std::string> environment_without_mpi_runtime();

// The job id in sbatch's answer: "--parsable" output ("123" or "123;cluster") or
// "Submitted batch job 123". Throws quoting the output when there is none.
std::string parse_sbatch_job_id(const std::string& output);

// sbatch refused a script: its exit status and everything it printed, line by line as it came.
class SbatchError : public std::runtime_error {
 public:
  SbatchError(int exit_status, std::string output)
      : std::runtime_error("sbatch failed (exit " + std::to_string(exit_status) + ")"),
        exit_status(exit_status),
        output(std::move(output)) {}
  int exit_status;
  std::string output;
};

// sbatch --parsable OPTIONS SCRIPT_FILE with environment_without_mpi_runtime(); returns the job
// id, throws SbatchError with sbatch's output.
std::string submit_batch_script(const std::string& script_file,
                                const std::vector<std::string>& options);

// Whether a job that ran out of time should requeue itself: only inside a Slurm job
// (job_id set) and while its restart count (SLURM_RESTART_COUNT, "" = 0) is below the cap.
struct RequeueDecision {
  bool requeue = false;
  std::string reason;  // one line for the job log
};
RequeueDecision decide_requeue(const std::string& job_id, const std::string& restart_count,
                               int max_requeues);

// scontrol requeue JOB_ID; throws with scontrol's message on failure.
void requeue_job(const std::string& job_id);

}  // namespace riskstep

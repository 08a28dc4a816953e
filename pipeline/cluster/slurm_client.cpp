#include "pipeline/cluster/slurm_client.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <stdexcept>

extern char** environ;

namespace riskstep {

CommandResult run_command(const std::vector<std::string>& argv,
                          const std::vector<std::string>* environment) {
  if (argv.empty()) throw std::invalid_argument("run_command: empty argument vector");
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  if (environment) {
    for (const std::string& entry : *environment) env.push_back(const_cast<char*>(entry.c_str()));
    env.push_back(nullptr);
  }

  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    if (environment)
      execvpe(args[0], args.data(), env.data());
    else
      execvp(args[0], args.data());
    const std::string message = argv[0] + ": cannot run: " + std::strerror(errno) + "\n";
    (void)!write(STDERR_FILENO, message.data(), message.size());
    _exit(127);
  }
  close(pipe_fds[1]);
  CommandResult result;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n > 0) {
      result.output.append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (result.exit_status == 127 && result.output.find("cannot run") != std::string::npos)
    throw std::runtime_error(result.output.substr(0, result.output.find('\n')));
  return result;
}

std::vector<std::string> environment_without_mpi_runtime() {
  const auto starts = [](const std::string& text, const char* prefix) {
    return text.rfind(prefix, 0) == 0;
  };
  std::vector<std::string> kept;
  for (char** entry = environ; *entry; ++entry) {
    const std::string variable = *entry;
    const bool user_mca = starts(variable, "OMPI_MCA_") && !starts(variable, "OMPI_MCA_ess") &&
                          !starts(variable, "OMPI_MCA_orte_") && !starts(variable, "OMPI_MCA_pmix");
    const bool runtime =
        starts(variable, "PMIX_") || starts(variable, "ORTE_") || starts(variable, "OPAL_") ||
        (starts(variable, "OMPI_") && !user_mca && !starts(variable, "OMPI_ALLOW_"));
    if (!runtime) kept.push_back(variable);
  }
  return kept;
}

std::string parse_sbatch_job_id(const std::string& output) {
  static const std::regex parsable(R"(^\s*(\d+)(;\S*)?\s*$)");
  static const std::regex verbose(R"(Submitted batch job (\d+))");
  std::smatch m;
  if (std::regex_match(output, m, parsable) || std::regex_search(output, m, verbose))
    return m[1].str();
  throw std::runtime_error("sbatch answered without a job id: '" + output + "'");
}

std::string submit_batch_script(const std::string& script_file,
                                const std::vector<std::string>& options) {
  std::vector<std::string> argv = {"sbatch", "--parsable"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back(script_file);
  const std::vector<std::string> environment = environment_without_mpi_runtime();
  const CommandResult result = run_command(argv, &environment);
  if (result.exit_status != 0) throw SbatchError(result.exit_status, result.output);
  // sbatch may print warnings before the id; the id is the last line.
  std::string last = result.output;
  while (!last.empty() && last.back() == '\n') last.pop_back();
  return parse_sbatch_job_id(
      last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1));
}

RequeueDecision decide_requeue(const std::string& job_id, const std::string& restart_count,
                               int max_requeues) {
  static const std::regex digits(R"(\d{1,9})");
  if (job_id.empty()) return {false, "not inside a Slurm job (SLURM_JOB_ID unset): not requeueing"};
  if (!std::regex_match(job_id, digits))
    return {false, "SLURM_JOB_ID '" + job_id + "' is not a job id: not requeueing"};
  long restarts = 0;
  if (!restart_count.empty()) {
    if (!std::regex_match(restart_count, digits))
      return {false, "SLURM_RESTART_COUNT '" + restart_count + "' is not a count: not requeueing"};
    restarts = std::stol(restart_count);
  }
  if (restarts >= max_requeues)
    return {false, "job " + job_id + " was requeued " + std::to_string(restarts) +
                       " times, the cap is " + std::to_string(max_requeues) + ": not requeueing"};
  return {true, "requeueing job " + job_id + " (restart " + std::to_string(restarts + 1) +
                    " of at most " + std::to_string(max_requeues) + ")"};
}

void requeue_job(const std::string& job_id) {
  const CommandResult result = run_command({"scontrol", "requeue", job_id});
  if (result.exit_status != 0)
    throw std::runtime_error("scontrol requeue " + job_id + " failed (exit " +
                             std::to_string(result.exit_status) + "): " + result.output);
}

}  // namespace riskstep

#include "app/report_command.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include "app/run_command.h"
#include "pipeline/core/resource_dir.h"
#include "pipeline/store/out_layout.h"
#include "pipeline/store/output_path.h"

namespace riskstep {

namespace fs = std::filesystem;

namespace {

struct ReportOptions {
  std::string input;
  std::string out;
  std::string level = "0.01";
  std::string title;
  bool force = false;
};

// report/report.py runs the riskstep_report package beside it (Python puts the script's folder
// on its path), so a folder holding the script but not the package is not a report folder.
std::string find_report_script() {
  return find_resource_dir({"report",
                            "RISKSTEP_REPORT_SCRIPTS",
                            "report",
                            {"report.py", "riskstep_report/html_report.py"}}) +
         "/report.py";
}

// A page riskstep wrote (so it may be replaced): html_report.py's own title line near the top.
bool is_riskstep_report(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::string head(4096, '\0');
  file.read(head.data(), head.size());
  head.resize(static_cast<size_t>(file.gcount()));
  return head.rfind("<!DOCTYPE html>", 0) == 0 && head.find("<title>riskstep report") != head.npos;
}

std::string default_out(const std::string& input) {
  if (fs::is_directory(input)) return out_layout::report_file(input);
  return (fs::path(input).parent_path() / (fs::path(input).stem().string() + "_report.html"))
      .string();
}

// The report script's command line; throws on bad input.
std::vector<std::string> report_command(const ReportOptions& options) {
  const std::string out = options.out.empty() ? default_out(options.input) : options.out;
  if (!fs::exists(options.input)) throw std::invalid_argument(options.input + ": no such file");
  const bool ours = fs::is_regular_file(out) && is_riskstep_report(out);
  check_results_file_path(out, options.force || ours);
  const char* python = std::getenv("RISKSTEP_PYTHON");
  std::vector<std::string> command = {python ? python : "/usr/bin/python3",
                                      find_report_script(),
                                      options.input,
                                      "--out",
                                      out,
                                      "--level",
                                      options.level,
                                      "--riskstep",
                                      fs::read_symlink("/proc/self/exe").string()};
  if (!options.title.empty()) command.insert(command.end(), {"--title", options.title});
  return command;
}

// The script's status: 0 written, 2 bad input (its own one line), else 1.
int run_script(std::vector<std::string> command) {
  std::vector<char*> argv;
  for (auto& word : command) argv.push_back(word.data());
  argv.push_back(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    execv(argv[0], argv.data());
    std::cerr << "riskstep report: cannot run " << argv[0] << "\n";
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return exit_status::ok;
  if (WIFEXITED(status) && WEXITSTATUS(status) == exit_status::bad_input)
    return exit_status::bad_input;
  return exit_status::failed;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* command =
      app.add_subcommand("report", "Write one self-contained HTML page of a run's results");
  command->footer(
      "Examples:\n"
      "  riskstep report out/herrig2023              (writes out/herrig2023/report.html)\n"
      "  riskstep report gspc.h5 --out gspc.html --level 0.05\n"
      "Needs Debian's python3 with h5py, pandas and matplotlib (RISKSTEP_PYTHON picks another).");
  command->add_option("input", options->input, "A sweep directory or a results file")->required();
  command->add_option("--out", options->out, "The HTML file (default: DIR/report.html)");
  command->add_option("--level", options->level, "VaR level of the figures")->capture_default_str();
  command->add_option("--title", options->title, "Page title");
  command->add_flag("--force", options->force, "Replace --out even when riskstep did not write it");
  command->callback([options, &exit_code] {
    std::vector<std::string> script;
    const auto prepare = [&] { script = report_command(*options); };
    exit_code = run_step("report", prepare, exit_status::bad_input);
    if (exit_code == exit_status::ok) exit_code = run_script(script);
  });
}

}  // namespace riskstep

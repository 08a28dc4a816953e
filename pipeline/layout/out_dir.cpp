#include "pipeline/layout/out_dir.h"
#include "pipeline/store/out_layout.h"

#include <signal.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "pipeline/core/sha256.h"
#include "pipeline/store/atomic_file.h"
#include "pipeline/store/output_path.h"
#include "pipeline/store/task_group.h"

namespace riskstep {

namespace fs = std::filesystem;

// sha256 of the JSON [[id, seed, ranks], ...], as format 3 wrote it, built as text (a JSON
// document of a million tasks took 150 MB).
std::string sweep_fingerprint(const TaskList& tasks) {
  std::string text = "[";
  for (size_t i = 0; i < tasks.size(); ++i) {
    text += i ? ",[\"" : "[\"";
    text += tasks.id(i);
    text += "\"," + std::to_string(tasks.seed(i)) + "," + std::to_string(tasks.ranks(i)) + "]";
  }
  return sha256_hex(text + "]");
}

namespace {

// "<name>.tmp.<host>.<pid>" (or an older "<name>.tmp.<pid>"): left by a writer that died, when
// nobody else writes into the directory; beside array shards, only when it is this host's and its
// process no longer exists.
bool left_by_dead_writer(const std::string& name, bool alone) {
  const size_t mark = name.find(".tmp.");
  if (mark == std::string::npos) return false;
  if (alone) return true;
  const std::string owner = name.substr(mark + 5);
  const size_t dot = owner.rfind('.');
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  if (dot == std::string::npos || owner.substr(0, dot) != host) return false;
  const pid_t pid = static_cast<pid_t>(std::atol(owner.c_str() + dot + 1));
  return pid > 0 && kill(pid, 0) != 0 && errno == ESRCH;
}

void remove_dead_temporaries(const fs::path& folder, bool alone) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error))
    if (left_by_dead_writer(entry.path().filename().string(), alone))
      fs::remove(entry.path(), error);
}

}  // namespace

void prepare_sweep_directory(const std::string& dir, const SweepSpec& spec, const TaskList& tasks,
                             bool force, bool alone) {
  const fs::path root(dir);
  std::error_code error;
  check_results_file_path(out_layout::results_file(dir), false);

  const std::string fingerprint = sweep_fingerprint(tasks);
  const fs::path manifest = out_layout::sweep_manifest(dir);
  if (fs::exists(manifest)) {
    std::string previous;
    size_t previous_tasks = 0;
    int previous_format = 0;
    try {
      const auto json = nlohmann::json::parse(read_text_file(manifest.string()));
      previous = json.at("fingerprint").get<std::string>();
      previous_tasks = json.at("tasks").get<size_t>();
      previous_format = json.value("format", 2);
    } catch (const std::exception&) {
      if (!force)
        throw std::runtime_error(manifest.string() +
                                 ": unreadable; use --force to overwrite it, or another --out");
    }
    // Formats 1-2 hold other task ids, format 3 one HDF5 file per task: nothing to resume.
    if (previous_format > 0 && previous_format < kFormatVersion)
      throw std::runtime_error(dir + " holds results of an older riskstep (results format " +
                               std::to_string(previous_format) +
                               (previous_format < 3 ? ", other task ids" : ", a file per task") +
                               "): it cannot be resumed; run into another --out (riskstep " +
                               "aggregate and report still read this one)");
    if (previous != fingerprint && !force)
      throw std::runtime_error(dir + " holds a different sweep (" + std::to_string(previous_tasks) +
                               " tasks, see " + out_layout::spec_file(dir) + "; this spec gives " +
                               std::to_string(tasks.size()) +
                               " tasks): use --force to run into it anyway, or another --out");
  }
  for (const std::string& sub : {out_layout::logs_dir(dir), out_layout::parts_dir(dir)}) {
    fs::create_directories(sub, error);
    if (error) throw std::runtime_error(sub + ": cannot create it: " + error.message());
  }
  write_file_atomically(out_layout::spec_file(dir), spec.text);
  nlohmann::json json = {{"format", kFormatVersion},
                         {"fingerprint", fingerprint},
                         {"tasks", tasks.size()},
                         {"kind", spec.kind},
                         {"spec_sha256", sha256_hex(spec.text)},
                         {"overrides", spec.overrides}};
  write_file_atomically(manifest.string(), json.dump(2) + "\n");

  remove_dead_temporaries(out_layout::parts_dir(dir), alone);
  remove_dead_temporaries(root, alone);
}

}  // namespace riskstep

#include "pipeline/process/launcher_watch.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <thread>

namespace riskstep {

bool started_by_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_STEP_ID"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

void stop_when_launcher_dies(int launcher) {
  static bool started = false;
  if (started || !started_by_launcher()) return;
  started = true;
  std::thread([launcher] {
    while (getppid() == launcher) std::this_thread::sleep_for(std::chrono::seconds(1));
    std::fprintf(stderr, "riskstep (pid %d): its launcher (pid %d) is gone: stopping\n",
                 static_cast<int>(getpid()), static_cast<int>(launcher));
    kill(getpid(), SIGTERM);
  }).detach();
}

}  // namespace riskstep

// Scheduling overhead of the sweep engine. Run under mpirun:
//   mpirun -np 2 build/bench/sweep_overhead [N]
// Prints ms per trivial task for the bare farm (rank 0 working vs light) and for whole sweeps
// (HDF5 task files + merge), and the speed-up of 2 ranks over 1 on CPU-bound tasks.
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/comm/mpi_wait.h"
#include "pipeline/run/farm.h"
#include "pipeline/run/sweep.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A fixed amount of CPU work (not a deadline: on a shared machine a deadline would hide that two
// ranks compete for cores). Calibrated once so that one unit takes about 1 ms on rank 0.
double iterations_per_ms = 1e5;

double spin(double milliseconds) {
  volatile double x = 1.0;
  const long n = static_cast<long>(milliseconds * iterations_per_ms);
  for (long i = 0; i < n; ++i) x = x * 1.0000001 + 1e-9;
  return x;
}

void calibrate(MPI_Comm comm) {
  const auto start = Clock::now();
  iterations_per_ms = 1e5;
  spin(200);
  iterations_per_ms = 1e5 * 200 / (1e3 * seconds_since(start));
  riskstep::broadcast_patiently(&iterations_per_ms, 1, MPI_DOUBLE, 0, comm);  // rank 1 idle
}

class BenchJob : public riskstep::Job {
 public:
  riskstep::Result run(const riskstep::Task& task, const riskstep::TaskContext&) override {
    riskstep::Result result;
    const auto setting = task.params.find("work_ms");
    const double work = setting == task.params.end() ? 0.0 : std::get<double>(setting->second);
    result.columns["x"] = std::vector<double>{work > 0 ? spin(work) : 1.0, 2.0};
    result.summary.add("x", std::vector<double>{1.0});
    return result;
  }
};

double farm_seconds(MPI_Comm comm, size_t n, bool coordinator_works, double work_ms) {
  std::vector<int> ranks(n, 1);
  std::vector<size_t> pending(n);
  std::iota(pending.begin(), pending.end(), 0);
  riskstep::FarmOptions options;
  options.coordinator_works = coordinator_works;
  MPI_Barrier(comm);
  const auto start = Clock::now();
  riskstep::run_farm(
      comm, ranks, pending,
      [&](size_t, const riskstep::FarmSlot&) {
        if (work_ms > 0) spin(work_ms);
        return true;
      },
      options);
  MPI_Barrier(comm);
  return seconds_since(start);
}

double sweep_seconds(MPI_Comm comm, const std::string& dir, size_t n, double work_ms,
                     bool coordinator_works) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const std::string spec = dir + "/spec.toml";
  if (rank == 0) {
    std::filesystem::remove_all(dir + "/out");
    std::filesystem::create_directories(dir);
    std::ofstream(spec) << "kind = \"bench\"\n[fixed]\nwork_ms = " << work_ms
                        << "\n[grid]\ni = \"0-" << n - 1 << "\"\n";
  }
  MPI_Barrier(comm);
  riskstep::JobRegistry registry;
  riskstep::JobKind bench;
  bench.name = "bench";
  bench.make = [] { return std::make_unique<BenchJob>(); };
  bench.settings
      .add({"work_ms", 0.0, riskstep::SettingRole::identity, "CPU work per task", {}, {}, {}})
      .add({"i", int64_t{0}, riskstep::SettingRole::identity, "task index", {}, {}, {}});
  registry.add(std::move(bench));
  riskstep::SweepOptions options;
  options.spec_path = spec;
  options.out_dir = dir + "/out";
  options.progress = "never";
  options.coordinator_works = coordinator_works;
  std::ostringstream out, err;
  const auto start = Clock::now();
  riskstep::run_sweep(comm, options, registry, out, err);
  MPI_Barrier(comm);
  return seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const size_t n = argc > 1 ? std::stoul(argv[1]) : 1000;
  const std::string dir =
      (std::filesystem::temp_directory_path() / "riskstep-sweep-overhead").string();
  auto say = [&](const char* format, double a, double b = 0, double c = 0) {
    if (rank == 0) std::printf(format, a, b, c);
  };
  say("sweep_overhead: %g trivial tasks on %g ranks\n", n, size);

  calibrate(MPI_COMM_WORLD);
  const double farm_working = farm_seconds(MPI_COMM_WORLD, n, true, 0);
  const double farm_light = farm_seconds(MPI_COMM_WORLD, n, false, 0);
  say("farm only, rank 0 works : %.3f ms/task\n", 1e3 * farm_working / n);
  say("farm only, rank 0 light : %.3f ms/task\n", 1e3 * farm_light / n);

  const double sweep_world = sweep_seconds(MPI_COMM_WORLD, dir + "/world", n, 0, true);
  say("sweep with HDF5 files   : %.3f ms/task (%.2f s total, incl. merge into results.h5)\n",
      1e3 * sweep_world / n, sweep_world);

  // Speed-up on CPU-bound tasks: 1 rank (MPI_COMM_SELF on rank 0) against all ranks.
  const size_t busy = 40;
  const double work_ms = 50;
  double alone = 0;
  if (rank == 0) alone = farm_seconds(MPI_COMM_SELF, busy, true, work_ms);
  riskstep::barrier_patiently(MPI_COMM_WORLD);  // the other ranks must not spin meanwhile
  const double working = farm_seconds(MPI_COMM_WORLD, busy, true, work_ms);
  const double light = farm_seconds(MPI_COMM_WORLD, busy, false, work_ms);
  say("%g x %g ms CPU tasks: 1 rank %.3f s\n", busy, work_ms, alone);
  say("  %g ranks, rank 0 works: %.3f s (speed-up %.2fx)\n", size, working, alone / working);
  say("  %g ranks, rank 0 light: %.3f s (speed-up %.2fx)\n", size, light, alone / light);
  if (rank == 0) std::filesystem::remove_all(dir);
  MPI_Finalize();
  return 0;
}

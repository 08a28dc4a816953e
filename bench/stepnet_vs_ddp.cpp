// riskstep's data-parallel training against PyTorch DistributedDataParallel (gloo), same model
// (ResNet-20, no attention), global batch, augmentation, optimiser, threads and ranks; and the
// scaling of riskstep from 1 to 2 ranks with the time spent waiting on communication.
//
//   mpirun -np 2 build/bench/stepnet_vs_ddp [--steps 30] [--batch 128] [--threads 1]
//
// Phase 1: rank 0 trains alone (the other ranks sleep, not spin); phase 2: all ranks train
// together; then, after MPI_Finalize, rank 0 runs bench/stepnet_ddp_reference.py with 1 and
// with N ranks and prints the ratios. Timings, so never part of ctest.
// Both sides time steady state only: riskstep trains a warm-up epoch of the same number of steps
// first and reports the second epoch; the reference is told to run as many warm-up steps. (DDP's
// first iterations build its buckets and connect gloo; timing them cost DDP a third of its
// 2-rank throughput at 30 steps.)
#include <mpi.h>
#include <sched.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "jobs/train_stepnet/trainer.h"
#include "pipeline/comm/mpi_communicator.h"

namespace {

struct Measurement {
  double images_per_second = 0;
  double comm_wait_ms_per_step = 0;
};

Measurement measure(const riskstep::TrainSettings& settings, riskstep::Communicator& group) {
  const riskstep::TrainingRun run =
      riskstep::run_training(settings, 1, &group, riskstep::TrainControl{});
  const auto& history = run.result.tables.at("history");
  Measurement m;
  m.images_per_second = std::get<std::vector<double>>(history.column("images_per_second")).back();
  m.comm_wait_ms_per_step =
      std::get<std::vector<double>>(history.column("comm_wait_ms_per_step")).back();
  return m;
}

// A barrier that sleeps instead of spinning, so a waiting rank leaves its core to the others.
void sleeping_barrier(MPI_Comm comm) {
  MPI_Request request;
  MPI_Ibarrier(comm, &request);
  int done = 0;
  while (!done) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// mpirun binds each rank to one core and a child process inherits the binding: without this, all
// ranks of the reference would share rank 0's core.
void unbind_from_cores() {
  cpu_set_t all_cores;
  CPU_ZERO(&all_cores);
  for (long core = 0; core < sysconf(_SC_NPROCESSORS_ONLN) && core < CPU_SETSIZE; ++core)
    CPU_SET(core, &all_cores);
  sched_setaffinity(0, sizeof(all_cores), &all_cores);
}

double reference_images_per_second(const std::string& script, int ranks, int steps, int batch,
                                   int threads) {
  const std::string command = "/usr/bin/python3 " + script + " --warmup " + std::to_string(steps) +
                              " --ranks " + std::to_string(ranks) + " --steps " +
                              std::to_string(steps) + " --batch " + std::to_string(batch) +
                              " --threads " + std::to_string(threads);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return 0;
  char line[512];
  double rate = 0;
  while (fgets(line, sizeof(line), pipe) != nullptr)
    std::sscanf(line, "images_per_second=%lf", &rate);
  pclose(pipe);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  CLI::App app{"riskstep data-parallel training vs PyTorch DDP (gloo)"};
  int steps = 30, batch = 128, threads = 1;
  // CMake compiles with absolute paths, so the reference sits beside this file.
  std::string script =
      std::filesystem::path(__FILE__).parent_path().string() + "/stepnet_ddp_reference.py";
  bool skip_reference = false;
  app.add_option("--steps", steps, "Timed training steps per configuration");
  app.add_option("--batch", batch, "Global batch");
  app.add_option("--threads", threads, "Threads per rank");
  app.add_option("--reference", script, "PyTorch DDP reference script");
  app.add_flag("--no-reference", skip_reference, "Only measure riskstep");
  CLI11_PARSE(app, argc, argv);

  riskstep::MpiCommunicator world(MPI_COMM_WORLD);
  riskstep::TrainSettings settings;
  settings.depth = 20;
  settings.epochs = 2;  // the first is the warm-up; measure() reads the last epoch
  settings.global_batch = batch;
  settings.steps_per_epoch = steps;
  settings.threads = threads;
  settings.test_subset = 100;
  settings.nsi_samples = 20;

  Measurement alone, together;
  if (world.rank() == 0) {
    riskstep::MpiCommunicator self(MPI_COMM_SELF);
    alone = measure(settings, self);
  }
  sleeping_barrier(MPI_COMM_WORLD);
  if (world.size() > 1) together = measure(settings, world);
  const int ranks = world.size();
  const int rank = world.rank();
  MPI_Finalize();
  if (rank != 0) return 0;

  std::printf("ResNet-20 on Fashion-MNIST, global batch %d, %d thread(s) per rank, %d steps\n",
              batch, threads, steps);
  std::printf("riskstep np=1: %8.1f images/s\n", alone.images_per_second);
  if (ranks > 1)
    std::printf(
        "riskstep np=%d: %8.1f images/s, comm wait %.2f ms/step, scaling x%.2f (target >= 1.8)\n",
        ranks, together.images_per_second, together.comm_wait_ms_per_step,
        together.images_per_second / alone.images_per_second);
  if (skip_reference) return 0;
  unbind_from_cores();
  const double reference_alone = reference_images_per_second(script, 1, steps, batch, threads);
  std::printf("PyTorch DDP gloo np=1: %8.1f images/s -> riskstep/DDP x%.2f\n", reference_alone,
              alone.images_per_second / reference_alone);
  if (ranks > 1) {
    const double reference_together =
        reference_images_per_second(script, ranks, steps, batch, threads);
    std::printf(
        "PyTorch DDP gloo np=%d: %8.1f images/s -> riskstep/DDP x%.2f (target >= 1.2), DDP scaling "
        "x%.2f\n",
        ranks, reference_together, together.images_per_second / reference_together,
        reference_together / reference_alone);
  }
  return 0;
}

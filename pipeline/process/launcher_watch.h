#pragma once
// A rank whose launcher died (mpirun or slurmstepd killed, a node agent lost) must not compute on
// for hours: nobody would collect its results, and it holds cores and an output directory. When
// riskstep runs under a launcher, a thread checks once a second whether the process that started
// it is still its parent; once it is not, the rank sends itself SIGTERM, which stops it the usual
// way (pipeline/process/interrupt.h: never in the middle of writing a file).

namespace riskstep {

// True when a launcher started this process (Open MPI, PMI or a Slurm step set its variables).
bool started_by_launcher();

// Starts the watching thread (once per process; a no-op when not started by a launcher).
// `launcher` is getppid() taken first thing in main: MPI_Init can take seconds, and a launcher
// that died during them must not go unnoticed.
void stop_when_launcher_dies(int launcher);

}  // namespace riskstep

#pragma once
// Values that go into a generated sbatch script. #SBATCH lines are parsed by sbatch, not by a
// shell, and a newline would end the directive and start a shell line, so they only take values
// that pass the strict validators below. Everything else (paths, free text) goes into the shell
// body through shell_single_quote(). Each validator throws std::invalid_argument with one line
// naming the option and what it expects.
#include <string>

namespace riskstep {

// 'text' with every ' written as '\'' : bash reads it back byte for byte, expanding nothing.
// Throws on a NUL byte, which no shell word can hold.
std::string shell_single_quote(const std::string& text);

// Job, partition, account and QOS names: 1-64 of [A-Za-z0-9._-], not starting with '-'.
std::string validate_slurm_name(const std::string& option, const std::string& value);
// A job name made from free text (e.g. a spec file stem): other bytes become '_'.
std::string sanitize_slurm_name(const std::string& text);

// Slurm time limits: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. Returns seconds.
long parse_slurm_time_limit(const std::string& option, const std::string& value);

// --mem: a size such as 16G, 4000M or 0 (all of a node's memory): digits and one K/M/G/T.
std::string validate_slurm_memory(const std::string& option, const std::string& value);
// --constraint and --gres: features and resources, [A-Za-z0-9_.:,&|*()[\]-] only (no spaces,
// quotes or newlines), 1-256 bytes.
std::string validate_slurm_feature(const std::string& option, const std::string& value);
// --export: ALL, NONE, or a comma list of variable names (optionally after ALL,).
std::string validate_slurm_export(const std::string& option, const std::string& value);

// A count that must lie in [minimum, maximum].
int validate_count(const std::string& option, long value, long minimum, long maximum);

}  // namespace riskstep

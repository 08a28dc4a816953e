#pragma once
// `riskstep describe [KIND...]`: the job kinds this binary runs and every setting each declares
// (role, type, default, choices with their labels, help), for people (Markdown) and for programs
// (--format json: the report scripts read model names and labels from here, not from a copy).
#include <CLI/CLI.hpp>

#include "pipeline/core/job.h"

namespace riskstep {

void add_describe_command(CLI::App& app, const JobRegistry& registry, int& exit_code);

}  // namespace riskstep

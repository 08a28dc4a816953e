#include "jobs/study_kinds.h"

#include "jobs/backtest_var/backtest_var.h"
#include "jobs/train_stepnet/train_stepnet.h"

namespace riskstep {

// A new study: a folder under jobs/ that declares its JobKind (tests/kinds/example is a template),
// and one line here.
void add_study_kinds(JobRegistry& registry) {
  registry.add(backtest_var_kind());
  registry.add(train_stepnet_kind());
}

}  // namespace riskstep

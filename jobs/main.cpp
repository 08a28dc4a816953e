// riskstep: the command line (app/) with the studies it ships (jobs/study_kinds.cpp).
#include "app/riskstep_main.h"
#include "jobs/study_kinds.h"

int main(int argc, char** argv) {
  riskstep::JobRegistry registry;
  riskstep::add_study_kinds(registry);
  return riskstep::riskstep_main(argc, argv, registry);
}

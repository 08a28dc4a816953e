#include <stdexcept>

#include "models/var/mdn/mdn_ensemble.h"

namespace riskstep {

std::vector<std::string> mdn_architecture_names() {
  return {"mdn2", "mdn2reg", "mdn3", "mdn2-tanh", "mdn2reg-tanh", "mdn3-tanh"};
}

MdnArchitecture mdn_architecture(const std::string& name) {
  MdnArchitecture architecture;
  architecture.name = name;
  std::string base = name;
  const std::string tanh_suffix = "-tanh";
  if (base.size() > tanh_suffix.size() &&
      base.compare(base.size() - tanh_suffix.size(), tanh_suffix.size(), tanh_suffix) == 0) {
    architecture.activation = "tanh";
    base.resize(base.size() - tanh_suffix.size());
  }
  if (base == "mdn2") return architecture;
  if (base == "mdn2reg") {
    architecture.logit_penalty = 0.1;
    return architecture;
  }
  if (base == "mdn3") {
    architecture.components = 3;
    return architecture;
  }
  std::string known;
  for (const auto& n : mdn_architecture_names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown MDN architecture '" + name + "'; expected one of " + known);
}

}  // namespace riskstep

#include "pipeline/cluster/slurm_values.h"

#include <regex>
#include <stdexcept>

#include "pipeline/core/printable.h"

namespace riskstep {

std::string shell_single_quote(const std::string& text) {
  if (text.find('\0') != std::string::npos)
    throw std::invalid_argument("cannot put a NUL byte into a shell script");
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'')
      quoted += "'\\''";
    else
      quoted += c;
  }
  quoted += '\'';
  return quoted;
}

std::string validate_slurm_name(const std::string& option, const std::string& value) {
  static const std::regex allowed("[A-Za-z0-9._][A-Za-z0-9._-]{0,63}");
  if (!std::regex_match(value, allowed))
    throw std::invalid_argument(
        option + ": expected 1-64 characters from A-Z a-z 0-9 . _ - (not starting with -), got '" +
        printable(value) + "'");
  return value;
}

std::string validate_slurm_memory(const std::string& option, const std::string& value) {
  static const std::regex allowed("[0-9]{1,9}[KMGT]?");
  if (!std::regex_match(value, allowed))
    throw std::invalid_argument(option + ": expected a size such as 16G, 4000M or 0, got '" +
                                printable(value) + "'");
  return value;
}

std::string validate_slurm_feature(const std::string& option, const std::string& value) {
  static const std::regex allowed(R"([A-Za-z0-9_.:,&|*()\[\]-]{1,256})");
  if (!std::regex_match(value, allowed))
    throw std::invalid_argument(option + ": expected features or resources such as " +
                                "gpu:a100:4 or avx2&ib (letters, digits, _.:,&|*()[]-), got '" +
                                printable(value) + "'");
  return value;
}

std::string validate_slurm_export(const std::string& option, const std::string& value) {
  static const std::regex allowed(
      "(ALL|NONE|(ALL,)?[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*)");
  if (!std::regex_match(value, allowed))
    throw std::invalid_argument(option +
                                ": expected ALL, NONE or a comma list of variable names, "
                                "got '" +
                                printable(value) + "'");
  return value;
}

std::string sanitize_slurm_name(const std::string& text) {
  std::string name;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    name += ok ? c : '_';
    if (name.size() == 64) break;
  }
  if (name.empty() || name[0] == '-') name.insert(name.begin(), 'j');
  return name.substr(0, 64);
}

long parse_slurm_time_limit(const std::string& option, const std::string& value) {
  static const std::regex form(R"((?:(\d{1,3})-)?(\d{1,4})(?::(\d{1,2}))?(?::(\d{1,2}))?)");
  std::smatch m;
  const auto fail = [&]() -> long {
    throw std::invalid_argument(
        option +
        ": expected a Slurm time limit (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or "
        "D-HH:MM:SS), got '" +
        printable(value) + "'");
  };
  if (!std::regex_match(value, m, form)) return fail();
  const auto number = [&](int i) { return m[i].matched ? std::stol(m[i].str()) : 0L; };
  long seconds = 0;
  if (m[1].matched) {  // D-HH[:MM[:SS]]
    if (number(2) > 23 || number(3) > 59 || number(4) > 59) return fail();
    seconds = number(1) * 86400 + number(2) * 3600 + number(3) * 60 + number(4);
  } else if (m[4].matched) {  // HH:MM:SS
    if (number(3) > 59 || number(4) > 59) return fail();
    seconds = number(2) * 3600 + number(3) * 60 + number(4);
  } else {  // MM or MM:SS
    if (number(3) > 59) return fail();
    seconds = number(2) * 60 + number(3);
  }
  if (seconds <= 0) return fail();
  return seconds;
}

int validate_count(const std::string& option, long value, long minimum, long maximum) {
  if (value < minimum || value > maximum)
    throw std::invalid_argument(option + ": expected a whole number from " +
                                std::to_string(minimum) + " to " + std::to_string(maximum) +
                                ", got " + std::to_string(value));
  return static_cast<int>(value);
}

}  // namespace riskstep

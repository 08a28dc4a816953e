#include "pipeline/core/setting_list.h"

#include <charconv>
#include <stdexcept>

namespace riskstep {

namespace {
std::string trimmed(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool all_digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}
}  // namespace

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  if (trimmed(text).empty()) return items;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string item =
        trimmed(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (item.empty()) throw std::invalid_argument("an empty item in '" + text + "'");
    items.push_back(item);
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

std::string join_list(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

std::optional<std::vector<int64_t>> integer_range(const std::string& item) {
  const size_t dash = item.find('-');
  if (dash == std::string::npos) return std::nullopt;
  const std::string first_text = trimmed(item.substr(0, dash)),
                    last_text = trimmed(item.substr(dash + 1));
  if (!all_digits(first_text) || !all_digits(last_text)) return std::nullopt;
  const std::optional<int64_t> first = parse_integer(first_text), last = parse_integer(last_text);
  if (!first || !last) throw std::invalid_argument("range '" + item + "': a number is too large");
  if (*first > *last) throw std::invalid_argument("range '" + item + "' runs backwards");
  if (*last - *first >= kMaxRangeItems)
    throw std::invalid_argument("range '" + item + "' stands for more than " +
                                std::to_string(kMaxRangeItems) + " integers");
  std::vector<int64_t> values;
  for (int64_t value = *first; value <= *last; ++value) values.push_back(value);
  return values;
}

// The whole of `text` as a T, or nullopt: from_chars, so no locale and no leading blanks.
template <typename T>
std::optional<T> parse_whole(const std::string& text) {
  T value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

std::optional<int64_t> parse_integer(const std::string& text) {
  return parse_whole<int64_t>(text);
}
std::optional<double> parse_number(const std::string& text) {
  return parse_whole<double>(text);
}

}  // namespace riskstep

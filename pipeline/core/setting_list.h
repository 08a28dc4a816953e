#pragma once
// The text of a list, and the one parser of it: items separated by commas ("0.01,0.05",
// "hs,garch"), blanks around an item ignored, "" the empty list; among integers an item "a-b"
// (digits, a <= b) stands for a, a+1, ..., b ("0-9,12"). List settings (settings.h) read it
// wherever they are given (a spec's array or text, --set, a command-line option), and so do grid
// axes given as text (--set model=hs,garch, riskstep backtest --seeds 0-9).
//
// A list setting's value in a task is its canonical text: each item as the setting's type writes
// it (integers in decimal, numbers in shortest round-trip form, 0.05), joined with "," and no
// blanks. So "0.01, 0.05", [0.01, 0.05] and "0.01,0.05" are one task.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace riskstep {

constexpr int64_t kMaxRangeItems = 100000;  // how many integers one "a-b" may stand for

// The items of `text`, trimmed of blanks; none for "" or blanks only. Throws
// std::invalid_argument "an empty item in 'a,,b'" for an empty item between commas.
std::vector<std::string> split_list(const std::string& text);

std::string join_list(const std::vector<std::string>& items);  // "a,b", no blanks

// a..b for `item` "a-b"; nullopt when it is no range. Throws std::invalid_argument
// "range '9-2' runs backwards" (or: holds a number too large, stands for more than
// kMaxRangeItems integers).
std::optional<std::vector<int64_t>> integer_range(const std::string& item);

// The whole of `text` as a decimal integer or a number ("1e-2", "0.05"); nullopt otherwise.
std::optional<int64_t> parse_integer(const std::string& text);
std::optional<double> parse_number(const std::string& text);

}  // namespace riskstep

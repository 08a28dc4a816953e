#pragma once
// Messages quote what users typed (a path, a setting, a line of a file), and what users typed can
// be anything: megabytes, control characters, bytes that are not UTF-8. A message is one line of
// bounded length, so it is made printable before it is shown or stored.
#include <cstddef>
#include <string>

namespace riskstep {

constexpr size_t kMessageLimit = 600;  // bytes of a message, before the note of what was cut

// `text` with control characters, DEL and bytes that are not valid UTF-8 written as \xNN (\n, \r
// and \t as themselves, escaped), cut after `limit` bytes with "... (N more bytes)".
std::string printable(const std::string& text, size_t limit = kMessageLimit);

}  // namespace riskstep

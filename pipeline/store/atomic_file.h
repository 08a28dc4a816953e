#pragma once
// Files that appear whole or not at all: written under a temporary name unique to this host and
// process (array shards on several hosts may write the same file at once), flushed to disk, then
// renamed over the final name.
#include <string>

namespace riskstep {

// "<path>.tmp.<host>.<pid>"
std::string temporary_path_for(const std::string& path);

// Throws std::runtime_error naming the file and the system's reason (e.g. "No space left on
// device") when it cannot be written; the temporary is removed then.
void write_file_atomically(const std::string& path, const std::string& text);

std::string read_text_file(const std::string& path);  // throws naming the file when unreadable

}  // namespace riskstep

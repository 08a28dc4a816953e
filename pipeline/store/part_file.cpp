#include "pipeline/store/part_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "pipeline/core/sha256.h"
#include "pipeline/store/hdf5_image.h"
#include "pipeline/store/hdf5_io.h"
#include "pipeline/store/packed_tasks.h"
#include "pipeline/store/task_group.h"

namespace riskstep {

namespace fs = std::filesystem;

namespace {

constexpr size_t kNameDigits = 16;
constexpr const char* kLogSuffix = ".log";
constexpr const char* kRecordsAttribute = "log_records_sha256";

std::string stem_of_log(const std::string& log_path) {
  std::string name = fs::path(log_path).filename().string();
  if (name.size() > 4 && name.compare(name.size() - 4, 4, kLogSuffix) == 0)
    name.resize(name.size() - 4);
  return name;
}

// "<stem>.<16 hex>.h5" -> the hex, or "".
std::string digest_in_name(const std::string& name) {
  if (name.size() < kNameDigits + 5 || name.compare(name.size() - 3, 3, ".h5") != 0) return "";
  const std::string digits = name.substr(name.size() - 3 - kNameDigits, kNameDigits);
  if (name[name.size() - 4 - kNameDigits] != '.') return "";
  for (char c : digits)
    if (!std::isxdigit(static_cast<unsigned char>(c)) ||
        std::isupper(static_cast<unsigned char>(c)))
      return "";
  return digits;
}

// Which frames of the log the part holds, as its rows (offsets and sizes): a part made before a
// frame of its log was damaged has rows the scan no longer counts, so it is made again.
std::string records_digest(const LogScan& scan) {
  std::string offsets;
  for (const LogEntry& entry : scan.entries) {
    offsets.append(reinterpret_cast<const char*>(&entry.offset), sizeof entry.offset);
    offsets.append(reinterpret_cast<const char*>(&entry.size), sizeof entry.size);
  }
  return sha256_hex(offsets);
}

}  // namespace

std::string write_part_file(const std::string& parts_dir, const std::string& log_path,
                            const LogScan& scan) {
  const std::string stem = stem_of_log(log_path);
  const int fd = ::open(log_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + log_path + ": " + std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  hdf5::QuietErrors quiet;
  return hdf5::write_file_named_by_digest(
      (fs::path(parts_dir) / (stem + ".h5")).string(),
      [&](hid_t file) {
        write_file_metadata(file, scan.metadata, kPartFormat);
        hdf5::write_attribute(file, "log", fs::path(log_path).filename().string());
        hdf5::write_attribute(file, "log_bytes", static_cast<int64_t>(scan.bytes));
        hdf5::write_attribute(file, kRecordsAttribute, records_digest(scan));
        // Row k is the log's valid record k (what layout/record_scan.h locates as entry k).
        // Every record is decoded twice, once for the union of types and once to be written,
        // rather than held: a log may hold a rank's share of a million tasks.
        PackedTasksWriter packed;
        for (const LogEntry& entry : scan.entries)
          packed.observe(read_logged_record(fd, log_path, entry));
        for (const LogEntry& entry : scan.entries)
          packed.append(file, read_logged_record(fd, log_path, entry));
        packed.finish(file);
      },
      [&](const std::string& digest) {
        return (fs::path(parts_dir) / (stem + "." + digest.substr(0, kNameDigits) + ".h5"))
            .string();
      });
}

std::string part_log_stem(const std::string& part_name) {
  if (digest_in_name(part_name).empty()) return "";
  return part_name.substr(0, part_name.size() - 4 - kNameDigits);
}

bool part_file_intact(const std::string& path) {
  const std::string digits = digest_in_name(fs::path(path).filename().string());
  if (digits.empty()) return false;
  try {
    return sha256_file_hex(path).substr(0, kNameDigits) == digits;
  } catch (const std::exception&) {
    return false;
  }
}

bool part_file_holds(const std::string& path, const LogScan& scan) {
  if (!part_file_intact(path)) return false;
  try {
    hdf5::QuietErrors quiet;
    OpenedFile opened = open_riskstep_file(path, kPartFormat);
    const auto attributes = hdf5::read_attributes(opened.file.get());
    const auto it = attributes.find(kRecordsAttribute);
    return it != attributes.end() && it->second == AttributeValue(records_digest(scan));
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<TaskRecord> read_part_file(const std::string& path) {
  if (!part_file_intact(path))
    throw std::runtime_error(path + ": missing, or its bytes do not match the digest in its name");
  hdf5::QuietErrors quiet;
  OpenedFile opened = open_riskstep_file(path, kPartFormat);
  try {
    return read_packed_tasks(opened.file.get());
  } catch (const std::exception& error) {
    throw std::runtime_error(path + ": " + error.what());
  }
}

}  // namespace riskstep

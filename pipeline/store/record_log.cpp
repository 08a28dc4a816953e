#include "pipeline/store/record_log.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "pipeline/store/record_codec.h"

namespace riskstep {

namespace {

constexpr char kMagic[8] = {'R', 'S', 'K', 'R', 'E', 'C', '1', '\n'};
constexpr size_t kDigestSize = 32;
constexpr size_t kFrameHead = sizeof kMagic + 8 + kDigestSize;
constexpr uint8_t kRecordType = 0, kMetadataType = 1;
// A body larger than this is damage, not a record (a Result of a gigabyte does not fit a log).
constexpr uint64_t kMaxBody = uint64_t{1} << 31;
constexpr size_t kReadChunk = size_t{8} << 20;

std::string digest_of(const char* data, size_t size) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data, size, digest, &length, EVP_sha256(), nullptr) != 1 || length != kDigestSize)
    throw std::runtime_error("sha256: OpenSSL digest failed");
  return std::string(reinterpret_cast<const char*>(digest), kDigestSize);
}

template <typename T>
void put(std::string& bytes, T value) {
  bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
T get(const char* data) {
  T value;
  std::memcpy(&value, data, sizeof value);
  return value;
}

void put_short_text(std::string& bytes, const std::string& text) {
  if (text.size() > UINT16_MAX) throw std::invalid_argument("record log: id or kind too long");
  put(bytes, static_cast<uint16_t>(text.size()));
  bytes.append(text);
}

void append_frame(std::string& out, const std::string& body) {
  out.append(kMagic, sizeof kMagic);
  put(out, static_cast<uint64_t>(body.size()));
  out.append(digest_of(body.data(), body.size()));
  out.append(body);
}

std::string record_body(const TaskRecord& record) {
  std::string body;
  put(body, kRecordType);
  put(body, static_cast<uint8_t>(record.status == "ok" ? 0 : 1));
  put(body, static_cast<uint64_t>(record.task.seed));
  put_short_text(body, record.task.id);
  put_short_text(body, record.task.kind);
  std::string codec;
  encode_record(record, codec);
  // Deflated: an echo record's 700 bytes of names and values become about 300, and the logs are
  // most of a sweep's bytes on disk. Level 1 costs a few microseconds a record.
  uLongf packed = compressBound(codec.size());
  std::string deflated(packed, '\0');
  if (compress2(reinterpret_cast<Bytef*>(deflated.data()), &packed,
                reinterpret_cast<const Bytef*>(codec.data()), codec.size(), 1) != Z_OK)
    throw std::runtime_error("task " + record.task.id + ": cannot deflate its record");
  put(body, static_cast<uint64_t>(codec.size()));
  body.append(deflated.data(), packed);
  return body;
}

// The record_codec bytes of a body, inflated.
std::string inflated_record(const char* data, size_t size) {
  if (size < 8) throw std::runtime_error("record ends early");
  const uint64_t raw_size = get<uint64_t>(data);
  if (raw_size > kMaxBody) throw std::runtime_error("impossible record size");
  std::string raw(raw_size, '\0');
  uLongf length = raw_size;
  if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &length,
                 reinterpret_cast<const Bytef*>(data + 8), size - 8) != Z_OK ||
      length != raw_size)
    throw std::runtime_error("record does not inflate");
  return raw;
}

// The index fields of a record body, and where its record_codec bytes start.
struct BodyHead {
  LogEntry entry;
  size_t record_at = 0;
};

BodyHead parse_head(const char* body, size_t size) {
  BodyHead head;
  size_t at = 2 + 8;
  if (size < at + 2) throw std::runtime_error("record head ends early");
  if (static_cast<uint8_t>(body[1]) > 1) throw std::runtime_error("unknown record status");
  head.entry.ok = body[1] == 0;
  head.entry.seed = get<uint64_t>(body + 2);
  for (std::string* text : {&head.entry.id, &head.entry.kind}) {
    if (size < at + 2) throw std::runtime_error("record head ends early");
    const uint16_t length = get<uint16_t>(body + at);
    at += 2;
    if (size < at + length) throw std::runtime_error("record head ends early");
    text->assign(body + at, length);
    at += length;
  }
  head.record_at = at;
  return head;
}

[[noreturn]] void fail(const std::string& what, int error) {
  throw std::runtime_error(what + ": " + std::strerror(error));
}

void write_all(int fd, const std::string& bytes, const std::string& path) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write " + path, n < 0 ? errno : EIO);
    written += static_cast<size_t>(n);
  }
}

void read_exactly(int fd, char* into, size_t size, uint64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, into + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot read " + path, errno);
    if (n == 0) throw std::runtime_error(path + ": ends at byte " + std::to_string(offset + done));
    done += static_cast<size_t>(n);
  }
}

// The log's directory entry made durable with its first frame (fsync of the file alone does
// not promise the name).
void sync_directory_of(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

RecordLogWriter::RecordLogWriter(std::string path, RunMetadata metadata)
    : path_(std::move(path)), metadata_(std::move(metadata)) {}

RecordLogWriter::~RecordLogWriter() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<LogEntry> RecordLogWriter::append(const std::vector<TaskRecord>& records) {
  std::string bytes;
  std::vector<LogEntry> entries;
  const bool first = fd_ < 0;
  if (first) {
    std::string body;
    put(body, kMetadataType);
    body += metadata_json(metadata_);
    append_frame(bytes, body);
  }
  for (const TaskRecord& record : records) {
    if (record.status == "stopped") continue;
    LogEntry entry;
    entry.offset = size_ + bytes.size();
    append_frame(bytes, record_body(record));
    entry.size = static_cast<uint32_t>(size_ + bytes.size() - entry.offset);
    entry.ok = record.status == "ok";
    entry.seed = record.task.seed;
    entry.id = record.task.id;
    entry.kind = record.task.kind;
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) return entries;
  if (first) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("cannot create " + path_, errno);
  }
  try {
    write_all(fd_, bytes, path_);
    if (::fdatasync(fd_) != 0) fail("cannot write " + path_, errno);
  } catch (...) {
    if (::ftruncate(fd_, static_cast<off_t>(size_)) == 0) ::fdatasync(fd_);
    throw;
  }
  if (first) sync_directory_of(path_);
  size_ += bytes.size();
  return entries;
}

namespace {

// Reads a log front to back through a window of a few megabytes (a log of a million records
// never sits in memory whole).
class LogReader {
 public:
  LogReader(int fd, std::string path, uint64_t bytes)
      : fd_(fd), path_(std::move(path)), bytes_(bytes) {}

  // [at, at + size) of the file, or nullptr when the file ends before.
  const char* view(uint64_t at, uint64_t size) {
    if (at + size > bytes_) return nullptr;
    if (at < window_at_ || at + size > window_at_ + window_.size()) {
      window_.resize(
          static_cast<size_t>(std::min(std::max<uint64_t>(size, kReadChunk), bytes_ - at)));
      read_exactly(fd_, window_.data(), window_.size(), at, path_);
      window_at_ = at;
    }
    return window_.data() + (at - window_at_);
  }

  // The first offset >= `from` where the magic appears (the file's size when none).
  uint64_t next_magic(uint64_t from) {
    for (uint64_t at = from; at + sizeof kMagic <= bytes_;) {
      const char* here = view(at, sizeof kMagic);
      const size_t candidates =
          static_cast<size_t>(window_at_ + window_.size() - at) - sizeof kMagic + 1;
      const void* found = std::memchr(here, kMagic[0], candidates);
      if (!found) {
        at += candidates;
        continue;
      }
      at += static_cast<uint64_t>(static_cast<const char*>(found) - here);
      if (std::memcmp(view(at, sizeof kMagic), kMagic, sizeof kMagic) == 0) return at;
      ++at;
    }
    return bytes_;
  }

 private:
  int fd_;
  std::string path_;
  uint64_t bytes_;
  std::string window_;
  uint64_t window_at_ = 0;
};

// The size of the valid frame at `at` (its entry or metadata kept in `scan`), or 0 with `why`.
uint64_t take_frame(LogReader& reader, uint64_t at, LogScan& scan, std::string& why) {
  const char* head = reader.view(at, kFrameHead);
  if (!head) return why = "a record cut short", 0;
  if (std::memcmp(head, kMagic, sizeof kMagic) != 0) return why = "no record starts here", 0;
  const uint64_t body_size = get<uint64_t>(head + sizeof kMagic);
  const char* frame =
      body_size > 0 && body_size <= kMaxBody ? reader.view(at, kFrameHead + body_size) : nullptr;
  if (!frame) return why = "a record cut short", 0;
  const char* body = frame + kFrameHead;
  if (digest_of(body, body_size) != std::string(frame + sizeof kMagic + 8, kDigestSize))
    return why = "checksum mismatch", 0;
  try {
    if (static_cast<uint8_t>(body[0]) == kMetadataType) {
      scan.metadata = metadata_from_json(std::string(body + 1, body_size - 1));
    } else {
      LogEntry entry = parse_head(body, body_size).entry;
      entry.offset = at;
      entry.size = static_cast<uint32_t>(kFrameHead + body_size);
      scan.entries.push_back(std::move(entry));
    }
  } catch (const std::exception& error) {
    return why = error.what(), 0;
  }
  return kFrameHead + body_size;
}

}  // namespace

LogScan scan_record_log(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot open " + path, errno);
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) fail("cannot read " + path, errno);
  LogScan scan;
  scan.bytes = static_cast<uint64_t>(info.st_size);
  LogReader reader(fd, path, scan.bytes);
  for (uint64_t at = 0; at < scan.bytes;) {
    std::string why;
    if (const uint64_t size = take_frame(reader, at, scan, why)) {
      at += size;
      continue;
    }
    // Resynchronise: the next place the magic appears may start a valid frame.
    const uint64_t next = reader.next_magic(at + 1);
    scan.problems.push_back("bytes " + std::to_string(at) + "-" + std::to_string(next) + ": " +
                            why + " (a write cut short, or damage): skipped");
    at = next;
  }
  return scan;
}

TaskRecord read_logged_record(int fd, const std::string& path, const LogEntry& entry) {
  const std::string where = path + ": record at byte " + std::to_string(entry.offset);
  if (entry.size < kFrameHead) throw std::runtime_error(where + ": impossible size");
  std::string frame(entry.size, '\0');
  read_exactly(fd, frame.data(), frame.size(), entry.offset, path);
  const char* body = frame.data() + kFrameHead;
  const size_t body_size = frame.size() - kFrameHead;
  if (std::memcmp(frame.data(), kMagic, sizeof kMagic) != 0 ||
      get<uint64_t>(frame.data() + sizeof kMagic) != body_size ||
      digest_of(body, body_size) != frame.substr(sizeof kMagic + 8, kDigestSize) ||
      static_cast<uint8_t>(body[0]) != kRecordType)
    throw std::runtime_error(where + ": checksum mismatch (it changed after it was written)");
  const BodyHead head = parse_head(body, body_size);
  if (head.entry.id != entry.id) throw std::runtime_error(where + ": holds another task");
  try {
    const std::string raw = inflated_record(body + head.record_at, body_size - head.record_at);
    return decode_record(raw.data(), raw.size());
  } catch (const std::exception& error) {
    throw std::runtime_error(where + ": " + error.what());
  }
}

}  // namespace riskstep

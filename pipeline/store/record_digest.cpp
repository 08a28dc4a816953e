#include "pipeline/store/record_digest.h"

#include <cstring>

#include "pipeline/core/sha256.h"

namespace riskstep {

namespace {

// Every item is length-prefixed or fixed-size, so no two different records serialise alike.
class Canonical {
 public:
  void add(const std::string& text) {
    bytes_ += std::to_string(text.size()) + ":";
    bytes_ += text;
  }
  void add(int64_t value) { raw(&value, sizeof value); }
  void add(double value) { raw(&value, sizeof value); }
  void add(const Column& column) {
    add(static_cast<int64_t>(column.index()));
    add(static_cast<int64_t>(column_size(column)));
    std::visit([&](const auto& values) { add_values(values); }, column);
  }
  void add(const AttributeValue& value) {
    add(static_cast<int64_t>(value.index()));
    std::visit([&](const auto& v) { add(v); }, value);
  }
  void add(const Table& table) {
    add(static_cast<int64_t>(table.names.size()));
    for (size_t i = 0; i < table.names.size(); ++i) {
      add(table.names[i]);
      add(table.columns[i]);
    }
  }
  std::string digest() const { return sha256_hex(bytes_); }

 private:
  void raw(const void* data, size_t size) { bytes_.append(static_cast<const char*>(data), size); }
  void add_values(const std::vector<double>& values) { raw(values.data(), values.size() * 8); }
  void add_values(const std::vector<int64_t>& values) { raw(values.data(), values.size() * 8); }
  void add_values(const std::vector<std::string>& values) {
    for (const auto& value : values) add(value);
  }
  std::string bytes_;
};

void add_result(Canonical& c, const Result& result) {
  for (const auto& [name, value] : result.attributes) {
    c.add(name);
    c.add(value);
  }
  for (const auto& [name, column] : result.columns) {
    c.add(name);
    c.add(column);
  }
  for (const auto& [name, matrix] : result.matrices) {
    c.add(name);
    c.add(static_cast<int64_t>(matrix.rows));
    c.add(static_cast<int64_t>(matrix.cols));
    c.add(Column(matrix.values));
    c.add(Column(matrix.col_names));
  }
  for (const auto& [name, table] : result.tables) {
    c.add(name);
    c.add(table);
  }
  c.add(result.summary);
}

}  // namespace

std::string record_digest(const TaskRecord& record) {
  Canonical c;
  c.add(record.task.kind);
  c.add(record.task.id);
  c.add(canonical_json(record.task.kind, record.task.params));
  c.add(params_json(record.task.run_settings));
  // Only in format 3 records; leaving it out when empty keeps the digests of format 2.
  if (!record.task.input_sha256.empty()) c.add(record.task.input_sha256);
  c.add(static_cast<int64_t>(record.task.seed));
  c.add(static_cast<int64_t>(record.task.ranks));
  c.add(record.status);
  c.add(record.error);
  c.add(record.wall_seconds);
  c.add(static_cast<int64_t>(record.rank));
  c.add(record.host);
  add_result(c, record.result);
  return c.digest();
}

std::string table_digest(const Table& table) {
  Canonical c;
  c.add(table);
  return c.digest();
}

}  // namespace riskstep

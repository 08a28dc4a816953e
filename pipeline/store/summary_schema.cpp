#include "pipeline/store/summary_schema.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

#include "pipeline/core/task.h"

namespace riskstep {

namespace {

CellType type_of(const Column& column) {
  if (std::holds_alternative<std::vector<int64_t>>(column)) return CellType::int64;
  if (std::holds_alternative<std::vector<double>>(column)) return CellType::float64;
  return CellType::text;
}

CellType wider(CellType a, CellType b) {
  return std::max(a, b);
}

bool through_double(CellType running, bool widens_through_double) {
  return running == CellType::float64 || (running == CellType::int64 && widens_through_double);
}

// A column of `n` cells of `type` (the fill when `from` is null), as the final `type_to`.
Column converted(const Column* from, size_t n, CellType type, CellType type_to, bool via_double) {
  if (type_to == CellType::int64) return from ? *from : Column(std::vector<int64_t>(n, 0));
  if (type_to == CellType::float64) {
    if (type == CellType::float64)
      return from ? *from
                  : Column(std::vector<double>(n, std::numeric_limits<double>::quiet_NaN()));
    if (!from) return std::vector<double>(n, 0.0);
    const auto& ints = std::get<std::vector<int64_t>>(*from);
    return std::vector<double>(ints.begin(), ints.end());
  }
  if (type == CellType::text) return from ? *from : Column(std::vector<std::string>(n, ""));
  std::vector<std::string> texts;
  texts.reserve(n);
  if (type == CellType::float64) {
    const std::vector<double> fill(from ? 0 : n, std::numeric_limits<double>::quiet_NaN());
    for (double v : from ? std::get<std::vector<double>>(*from) : fill)
      texts.push_back(param_to_string(ParamValue(v)));
    return texts;
  }
  const std::vector<int64_t> fill(from ? 0 : n, 0);
  for (int64_t v : from ? std::get<std::vector<int64_t>>(*from) : fill)
    texts.push_back(via_double ? param_to_string(ParamValue(static_cast<double>(v)))
                               : param_to_string(ParamValue(v)));
  return texts;
}

template <typename T>
void put(std::string& bytes, T value) {
  bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
T take(const std::string& bytes, size_t& at) {
  if (bytes.size() - at < sizeof(T)) throw std::runtime_error("summary sightings end early");
  T value;
  std::memcpy(&value, bytes.data() + at, sizeof value);
  at += sizeof value;
  return value;
}

CellType take_type(const std::string& bytes, size_t& at) {
  const uint8_t type = take<uint8_t>(bytes, at);
  if (type > 2) throw std::runtime_error("summary sightings hold an unknown type");
  return static_cast<CellType>(type);
}

}  // namespace

void SummarySightings::observe(uint64_t task, const Table& rows) {
  for (size_t c = 0; c < rows.names.size(); ++c) {
    const CellType type = type_of(rows.columns[c]);
    auto it = std::find_if(columns_.begin(), columns_.end(),
                           [&](const ColumnSighting& s) { return s.name == rows.names[c]; });
    if (it == columns_.end()) {
      columns_.push_back(ColumnSighting{rows.names[c], task, c, type, type});
      it = columns_.end() - 1;
    }
    it->widest = wider(it->widest, type);
    if (const auto* texts = std::get_if<std::vector<std::string>>(&rows.columns[c]))
      for (const auto& text : *texts) it->longest = std::max<uint64_t>(it->longest, text.size());
    else
      it->only_text = false;
    if (type != CellType::int64 && it->first_wide_task == UINT64_MAX) {
      it->first_wide_task = task;
      it->first_wide_type = type;
    }
  }
}

std::string encode_sightings(const std::vector<ColumnSighting>& sightings) {
  std::string bytes;
  put(bytes, static_cast<uint64_t>(sightings.size()));
  for (const auto& s : sightings) {
    put(bytes, static_cast<uint64_t>(s.name.size()));
    bytes += s.name;
    put(bytes, s.first_task);
    put(bytes, s.first_position);
    put(bytes, static_cast<uint8_t>(s.first_type));
    put(bytes, static_cast<uint8_t>(s.widest));
    put(bytes, s.first_wide_task);
    put(bytes, static_cast<uint8_t>(s.first_wide_type));
    put(bytes, s.longest);
    put(bytes, static_cast<uint8_t>(s.only_text));
  }
  return bytes;
}

std::vector<ColumnSighting> decode_sightings(const std::string& bytes) {
  size_t at = 0;
  const uint64_t count = take<uint64_t>(bytes, at);
  if (count > bytes.size()) throw std::runtime_error("summary sightings hold an impossible count");
  std::vector<ColumnSighting> sightings(count);
  for (auto& s : sightings) {
    const uint64_t length = take<uint64_t>(bytes, at);
    if (length > bytes.size() - at) throw std::runtime_error("summary sightings end early");
    s.name = bytes.substr(at, length);
    at += length;
    s.first_task = take<uint64_t>(bytes, at);
    s.first_position = take<uint64_t>(bytes, at);
    s.first_type = take_type(bytes, at);
    s.widest = take_type(bytes, at);
    s.first_wide_task = take<uint64_t>(bytes, at);
    s.first_wide_type = take_type(bytes, at);
    s.longest = take<uint64_t>(bytes, at);
    s.only_text = take<uint8_t>(bytes, at) != 0;
  }
  if (at != bytes.size()) throw std::runtime_error("summary sightings hold trailing bytes");
  return sightings;
}

Table SummarySchema::empty() const {
  Table table;
  for (size_t c = 0; c < names.size(); ++c)
    table.add(names[c], converted(nullptr, 0, final_type[c], final_type[c], false));
  return table;
}

SummarySchema combine_sightings(const std::vector<std::vector<ColumnSighting>>& per_rank) {
  std::map<std::string, ColumnSighting> merged;
  for (const auto& sightings : per_rank)
    for (const auto& s : sightings) {
      auto [it, inserted] = merged.emplace(s.name, s);
      if (inserted) continue;
      ColumnSighting& m = it->second;
      if (std::tie(s.first_task, s.first_position) < std::tie(m.first_task, m.first_position)) {
        m.first_task = s.first_task;
        m.first_position = s.first_position;
        m.first_type = s.first_type;
      }
      m.widest = wider(m.widest, s.widest);
      m.longest = std::max(m.longest, s.longest);
      m.only_text = m.only_text && s.only_text;
      if (s.first_wide_task < m.first_wide_task) {
        m.first_wide_task = s.first_wide_task;
        m.first_wide_type = s.first_wide_type;
      }
    }
  std::vector<const ColumnSighting*> order;
  for (const auto& [name, s] : merged) order.push_back(&s);
  std::sort(order.begin(), order.end(), [](const ColumnSighting* a, const ColumnSighting* b) {
    return std::tie(a->first_task, a->first_position) < std::tie(b->first_task, b->first_position);
  });
  SummarySchema schema;
  for (const ColumnSighting* s : order) {
    schema.names.push_back(s->name);
    schema.final_type.push_back(s->widest);
    schema.first_type.push_back(s->first_type);
    schema.widens_through_double.push_back(s->first_wide_type == CellType::float64);
    const bool fixed = s->widest == CellType::text && s->only_text;
    schema.text_sizes.push_back(fixed ? std::max<size_t>(s->longest, 1) : 0);
  }
  return schema;
}

SummaryConformer::SummaryConformer(SummarySchema schema)
    : schema_(std::move(schema)),
      appeared_(schema_.names.size(), false),
      running_(schema_.names.size(), CellType::int64) {}

Table SummaryConformer::conform(const Table& rows) {
  Table out;
  const size_t n = rows.rows();
  for (size_t c = 0; c < schema_.names.size(); ++c) {
    const bool via = schema_.widens_through_double[c];
    const CellType to = schema_.final_type[c];
    if (rows.has(schema_.names[c])) {
      const Column& column = rows.column(schema_.names[c]);
      const CellType type = type_of(column);
      running_[c] = appeared_[c] ? wider(running_[c], type) : type;
      appeared_[c] = true;
      out.add(schema_.names[c], converted(&column, n, type, to, through_double(running_[c], via)));
    } else {
      const CellType fill = appeared_[c] ? running_[c] : schema_.first_type[c];
      out.add(schema_.names[c], converted(nullptr, n, fill, to, through_double(fill, via)));
    }
  }
  return out;
}

}  // namespace riskstep

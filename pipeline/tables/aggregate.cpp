#include "pipeline/tables/aggregate.h"

#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "pipeline/core/task.h"

namespace riskstep {

namespace {

const Column& checked_column(const Table& table, const std::string& name) {
  if (!table.has(name)) {
    std::string known;
    for (const auto& n : table.names) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("aggregate: no column '" + name + "' (columns: " + known + ")");
  }
  return table.column(name);
}

std::string cell_key(const Column& column, size_t row) {
  return std::visit([&](const auto& values) { return param_to_string(ParamValue(values[row])); },
                    column);
}

double reduce(Reducer reducer, const std::vector<double>& values) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double n = static_cast<double>(values.size());
  if (reducer == Reducer::count) return n;
  if (values.empty()) return reducer == Reducer::sum ? 0.0 : nan;
  double sum = 0, low = values[0], high = values[0], nonzero = 0;
  for (double v : values) {
    sum += v;
    low = std::min(low, v);
    high = std::max(high, v);
    nonzero += v != 0 ? 1 : 0;
  }
  const double mean = sum / n;
  switch (reducer) {
    case Reducer::mean:
      return mean;
    case Reducer::sum:
      return sum;
    case Reducer::min:
      return low;
    case Reducer::max:
      return high;
    case Reducer::rate:
      return nonzero / n;
    case Reducer::sd: {
      if (values.size() < 2) return nan;
      double squares = 0;
      for (double v : values) squares += (v - mean) * (v - mean);
      return std::sqrt(squares / (n - 1));
    }
    default:
      return nan;
  }
}

}  // namespace

void require_columns(const Table& table, const std::vector<std::string>& names,
                     const std::string& what) {
  for (const auto& name : names)
    if (!table.has(name)) throw std::invalid_argument(what + " has no column '" + name + "'");
}

std::string reducer_name(Reducer reducer) {
  switch (reducer) {
    case Reducer::mean:
      return "mean";
    case Reducer::sd:
      return "sd";
    case Reducer::min:
      return "min";
    case Reducer::max:
      return "max";
    case Reducer::sum:
      return "sum";
    case Reducer::count:
      return "count";
    case Reducer::rate:
      return "rate";
  }
  return "?";
}

Reducer parse_reducer(const std::string& name) {
  for (Reducer r : {Reducer::mean, Reducer::sd, Reducer::min, Reducer::max, Reducer::sum,
                    Reducer::count, Reducer::rate})
    if (reducer_name(r) == name) return r;
  throw std::invalid_argument("unknown reducer '" + name +
                              "' (expected mean, sd, min, max, sum, count or rate)");
}

Table aggregate_table(const Table& summary, const std::vector<std::string>& group_by,
                      const std::vector<AggregateSpec>& columns) {
  std::vector<const Column*> keys;
  for (const auto& name : group_by) keys.push_back(&checked_column(summary, name));
  for (const auto& spec : columns) {
    const Column& column = checked_column(summary, spec.column);
    if (std::holds_alternative<std::vector<std::string>>(column) && spec.reducer != Reducer::count)
      throw std::invalid_argument("aggregate: column '" + spec.column + "' holds strings; " +
                                  reducer_name(spec.reducer) + " needs numbers");
  }

  // Rows of each group, groups in order of first appearance.
  std::map<std::vector<std::string>, size_t> group_of;
  std::vector<std::vector<size_t>> members;
  for (size_t row = 0; row < summary.rows(); ++row) {
    std::vector<std::string> key;
    for (const Column* column : keys) key.push_back(cell_key(*column, row));
    auto [it, inserted] = group_of.emplace(key, members.size());
    if (inserted) members.emplace_back();
    members[it->second].push_back(row);
  }

  // Each group's key columns, taken from its first row.
  Table key_columns;
  for (size_t k = 0; k < group_by.size(); ++k) key_columns.add(group_by[k], *keys[k]);
  std::vector<size_t> first_rows;
  for (const auto& rows : members) first_rows.push_back(rows.front());
  Table out = key_columns.rows_at(first_rows);
  for (const auto& spec : columns) {
    const Column& column = summary.column(spec.column);
    const bool strings = std::holds_alternative<std::vector<std::string>>(column);
    std::vector<double> reduced;
    for (const auto& rows : members) {
      std::vector<double> values;
      for (size_t row : rows) {
        const double v = strings ? 0.0 : numeric_cell(column, row);
        if (!std::isnan(v)) values.push_back(v);
      }
      reduced.push_back(reduce(spec.reducer, values));
    }
    const std::string name =
        spec.name.empty() ? spec.column + "_" + reducer_name(spec.reducer) : spec.name;
    if (spec.reducer == Reducer::count)
      out.add(name, std::vector<int64_t>(reduced.begin(), reduced.end()));
    else
      out.add(name, std::move(reduced));
  }
  return out;
}

}  // namespace riskstep

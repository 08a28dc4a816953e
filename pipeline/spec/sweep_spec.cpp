#include "pipeline/spec/sweep_spec.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "pipeline/core/setting_list.h"

namespace riskstep {

namespace {

constexpr const char* kOverrideSource = "--set";

// "spec.toml:12" for a node read from the file, "spec.toml: --set key=value" for an override.
std::string where(const SweepSpec& spec, const toml::node& node) {
  const auto& source = node.source();
  if (source.path && source.path->rfind(kOverrideSource, 0) == 0)
    return spec.source + ": " + *source.path;
  return spec.source + ":" + std::to_string(source.begin.line);
}

[[noreturn]] void fail(const SweepSpec& spec, const toml::node& node, const std::string& key,
                       const std::string& message) {
  throw SpecError(where(spec, node) + ": key '" + key + "': " + message);
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date/time";
  }
}

std::string resolve_path(const std::string& value, const std::string& base_dir) {
  if (value.empty() || base_dir.empty()) return value;
  std::filesystem::path path(value);
  if (path.is_absolute()) return value;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

// A scalar TOML value as a task parameter, or nullopt for arrays, tables and dates.
std::optional<ParamValue> scalar(const toml::node& node) {
  if (auto s = node.as_string()) return ParamValue(s->get());
  if (auto i = node.as_integer()) return ParamValue(static_cast<int64_t>(i->get()));
  if (auto d = node.as_floating_point()) return ParamValue(d->get());
  if (auto b = node.as_boolean()) return ParamValue(b->get());
  return std::nullopt;
}

// "0-9" -> 0..9 inclusive (setting_list.h); nullopt when the text is not a range.
std::optional<std::vector<ParamValue>> range_values(const SweepSpec& spec, const toml::node& node,
                                                    const std::string& key) {
  try {
    const auto range = integer_range(node.as_string()->get());
    if (!range) return std::nullopt;
    return std::vector<ParamValue>(range->begin(), range->end());
  } catch (const std::invalid_argument& error) {
    fail(spec, node, key, error.what());
  }
}

// Values for a grid axis or a match rule: an array of scalars, an "a-b" range, or (for match
// rules only) one scalar.
std::vector<ParamValue> value_list(const SweepSpec& spec, const toml::node& node,
                                   const std::string& key, bool allow_scalar) {
  const std::string expected = allow_scalar
                                   ? "expected a scalar, an array of scalars or an \"a-b\" range"
                                   : "expected a non-empty array of scalars or an \"a-b\" "
                                     "integer range";
  std::vector<ParamValue> values;
  if (node.is_string()) {
    if (auto range = range_values(spec, node, key)) return *range;
  }
  if (auto array = node.as_array()) {
    for (const auto& element : *array) {
      auto value = scalar(element);
      if (!value) fail(spec, element, key, expected + ", found " + type_name(element) + " in it");
      if (std::find(values.begin(), values.end(), *value) != values.end())
        fail(spec, element, key, "value " + param_to_string(*value) + " is listed twice");
      values.push_back(*value);
    }
    if (values.empty()) fail(spec, node, key, expected + ", found an empty array");
    return values;
  }
  if (allow_scalar) {
    if (auto value = scalar(node)) return {*value};
  }
  fail(spec, node, key, expected + ", found " + type_name(node));
}

// An array for a list setting as the list's text (setting_list.h).
std::string join_array(const SweepSpec& spec, const toml::array& array, const std::string& key) {
  std::vector<std::string> items;
  for (const auto& element : array) {
    auto value = scalar(element);
    if (!value)
      fail(spec, element, key, "expected an array of scalars, found " + type_name(element));
    items.push_back(param_to_string(*value));
    if (items.back().find(',') != std::string::npos)
      fail(spec, element, key, "item '" + items.back() + "' holds a comma, which separates items");
  }
  return join_list(items);
}

// `rule` names the rule in messages ("exclude"), `at` in SweepSpec::locations ("exclude[2]").
ValueMatch match_rule(SweepSpec& spec, const toml::table& table, const std::string& rule,
                      const std::string& at) {
  ValueMatch match;
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    match[name] = value_list(spec, node, rule + "." + name, true);
    spec.locations[at + "." + name] = where(spec, node) + ": key '" + rule + "." + name + "'";
  }
  if (match.empty()) fail(spec, table, rule, "expected at least one key = values");
  return match;
}

const toml::array& array_of_tables(const SweepSpec& spec, const toml::node& node,
                                   const std::string& key) {
  const auto* array = node.as_array();
  if (!array || !array->is_array_of_tables())
    fail(spec, node, key, "expected [[" + key + "]] tables, found " + type_name(node));
  return *array;
}

// toml++ tables iterate by key; the spec's own order reads better in listings.
template <typename Table>
std::vector<std::pair<std::string, const toml::node*>> in_file_order(const Table& table) {
  std::vector<std::pair<std::string, const toml::node*>> entries;
  for (const auto& [key, node] : table) entries.emplace_back(std::string(key.str()), &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& sa = a.second->source().begin;
    const auto& sb = b.second->source().begin;
    return std::tie(sa.line, sa.column) < std::tie(sb.line, sb.column);
  });
  return entries;
}

toml::table& sub_table(toml::table& root, const std::string& name) {
  if (!root.contains(name)) root.insert(name, toml::table{});
  auto* table = root.get(name)->as_table();
  if (!table) throw SpecError("--set " + name + ".*: '" + name + "' in the spec is not a table");
  return *table;
}

// Parses the value of --set as TOML when it is valid TOML, else as a string; for grid axes a
// comma list "a,b" becomes an array. Returns the key it set: "fixed.NAME", "grid.NAME" or a
// top-level key.
std::string apply_override(toml::table& root, const std::string& override_text) {
  const auto equals = override_text.find('=');
  if (equals == std::string::npos || equals == 0)
    throw SpecError("--set " + override_text + ": expected key=value");
  std::string key = override_text.substr(0, equals);
  const std::string value = override_text.substr(equals + 1);
  const std::string source = std::string(kOverrideSource) + " " + override_text;

  auto parse_value = [&](const std::string& text) -> toml::table {
    try {
      return toml::parse("v = " + text, source);
    } catch (const toml::parse_error&) {
    }
    std::ostringstream quoted;  // TOML-escaped, so most text becomes a string value
    quoted << toml::value<std::string>(text);
    try {
      return toml::parse("v = " + quoted.str(), source);
    } catch (const toml::parse_error& error) {  // e.g. bytes that are not UTF-8
      throw SpecError(source + ": the value is neither TOML nor text (" +
                      std::string(error.description()) + ")");
    }
  };

  static const std::set<std::string> top = {"kind", "seed", "ranks_per_task", "out"};
  toml::table* target = &root;
  std::string name = key;
  bool grid = false;
  if (key.rfind("fixed.", 0) == 0) {
    target = &sub_table(root, "fixed");
    name = key.substr(6);
  } else if (key.rfind("grid.", 0) == 0) {
    target = &sub_table(root, "grid");
    name = key.substr(5);
    grid = true;
  } else if (!top.count(key)) {
    auto* grid_table = root.get("grid") ? root.get("grid")->as_table() : nullptr;
    grid = grid_table && grid_table->contains(key);
    target = grid ? grid_table : &sub_table(root, "fixed");
  }
  if (name.empty()) throw SpecError("--set " + override_text + ": empty parameter name");

  toml::table parsed = parse_value(value);
  toml::node& node = *parsed.get("v");
  if (grid && !node.is_array()) {  // "a,b", "0-9,12" or one value: an axis of those values
    toml::array list;
    if (node.is_string()) {
      try {
        for (const std::string& piece : split_list(value)) {
          if (const auto range = integer_range(piece)) {
            for (const int64_t item : *range) list.push_back(item);
          } else {
            toml::table element = parse_value(piece);
            list.push_back(std::move(*element.get("v")));
          }
        }
      } catch (const std::invalid_argument& error) {  // an empty item, a bad range
        throw SpecError(source + ": " + error.what());
      }
    } else {
      list.push_back(std::move(node));
    }
    toml::table wrapper = toml::parse("v = []", source);
    *wrapper.get("v")->as_array() = std::move(list);
    target->insert_or_assign(name, std::move(*wrapper.get("v")));
  } else {
    target->insert_or_assign(name, std::move(node));
  }
  // A --set pins a grid axis or a fixed parameter: never both.
  if (!grid && target != &root) {
    if (auto* g = root.get("grid") ? root.get("grid")->as_table() : nullptr) g->erase(name);
  }
  if (target == &root) return name;
  return (grid ? "grid." : "fixed.") + name;
}

}  // namespace

namespace {

// TOML allows no control characters but tab (and line ends); refusing them here also keeps them
// away from toml++ 3.3, which fails an assertion on some of them (found by tests/fuzz).
void refuse_control_characters(const std::string& text, const std::string& where) {
  size_t line = 1;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '\n') ++line;
    if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F) {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02X", byte);
      throw SpecError(
          where +
          (where.find("--set") == std::string::npos ? ":" + std::to_string(line) : std::string()) +
          ": control character " + code + " (TOML allows none but tab)");
    }
  }
}

toml::table parse_with_overrides(SweepSpec& spec, const std::vector<std::string>& overrides,
                                 std::map<std::string, std::string>& override_locations) {
  refuse_control_characters(spec.text, spec.source);
  for (const auto& override_text : overrides)
    refuse_control_characters(override_text, spec.source + ": --set");
  toml::table root;
  try {
    root = toml::parse(spec.text, spec.source);
  } catch (const toml::parse_error& error) {
    throw SpecError(spec.source + ":" + std::to_string(error.source().begin.line) + ": " +
                    std::string(error.description()));
  }
  for (const auto& override_text : overrides) {
    const std::string key = apply_override(root, override_text);
    override_locations[key] = spec.source + ": --set " + override_text + ": key '" + key + "'";
  }
  static const std::set<std::string> known = {"kind",  "seed", "ranks_per_task", "out",
                                              "fixed", "grid", "exclude",        "drop_axes"};
  for (const auto& [key, node] : in_file_order(root)) {
    if (!known.count(key))
      fail(spec, *node, key,
           "unknown key (expected kind, seed, ranks_per_task, out, [fixed], [grid], "
           "[[exclude]] or [[drop_axes]])");
  }
  return root;
}

void parse_top_level(const toml::table& root, const std::string& base_dir, SweepSpec& spec) {
  const toml::node* kind = root.get("kind");
  if (!kind)
    throw SpecError(spec.source + ":1: key 'kind': missing (expected the job kind, a string)");
  if (!kind->is_string() || kind->as_string()->get().empty())
    fail(spec, *kind, "kind", "expected a non-empty string, found " + type_name(*kind));
  spec.kind = kind->as_string()->get();
  spec.locations["kind"] = where(spec, *kind) + ": key 'kind'";
  if (const toml::node* seed = root.get("seed")) {
    if (!seed->is_integer() || seed->as_integer()->get() < 0)
      fail(spec, *seed, "seed", "expected a non-negative integer, found " + type_name(*seed));
    spec.seed = static_cast<uint64_t>(seed->as_integer()->get());
  }
  if (const toml::node* ranks = root.get("ranks_per_task")) {
    if (!ranks->is_integer() || ranks->as_integer()->get() < 1 ||
        ranks->as_integer()->get() > 65536)
      fail(spec, *ranks, "ranks_per_task", "expected an integer >= 1, found " + type_name(*ranks));
    spec.ranks_per_task = static_cast<int>(ranks->as_integer()->get());
  }
  if (const toml::node* out = root.get("out")) {
    if (!out->is_string()) fail(spec, *out, "out", "expected a string, found " + type_name(*out));
    spec.out = resolve_path(out->as_string()->get(), base_dir);
  }
}

void parse_fixed(const toml::table& root, SweepSpec& spec) {
  const toml::node* fixed = root.get("fixed");
  if (!fixed) return;
  if (!fixed->is_table()) fail(spec, *fixed, "fixed", "expected a table [fixed]");
  for (const auto& [key, node] : in_file_order(*fixed->as_table())) {
    const std::string full = "fixed." + key;
    spec.locations[full] = where(spec, *node) + ": key '" + full + "'";
    if (auto value = scalar(*node)) {
      spec.fixed[key] = *value;
    } else if (auto array = node->as_array()) {
      spec.fixed[key] = join_array(spec, *array, full);
      spec.arrays.insert(full);
    } else {
      fail(spec, *node, full,
           "expected a string, number, boolean or array of them, found " + type_name(*node));
    }
  }
}

void parse_grid(const toml::table& root, SweepSpec& spec) {
  const toml::node* grid = root.get("grid");
  if (!grid) return;
  if (!grid->is_table()) fail(spec, *grid, "grid", "expected a table [grid]");
  for (const auto& [key, node] : in_file_order(*grid->as_table())) {
    if (spec.fixed.count(key))
      fail(spec, *node, "grid." + key,
           "is also in [fixed]; a parameter is either fixed or an axis");
    spec.locations["grid." + key] = where(spec, *node) + ": key 'grid." + key + "'";
    spec.grid.emplace_back(key, value_list(spec, *node, "grid." + key, false));
  }
}

bool is_axis(const SweepSpec& spec, const std::string& name) {
  for (const auto& [axis, values] : spec.grid)
    if (axis == name) return true;
  return false;
}

void check_known_keys(const SweepSpec& spec, const ValueMatch& match, const toml::node& node,
                      const std::string& rule) {
  for (const auto& [key, values] : match)
    if (!is_axis(spec, key) && !spec.fixed.count(key))
      fail(spec, node, rule + "." + key, "names no [grid] axis or [fixed] parameter");
}

DropAxesRule parse_drop_rule(SweepSpec& spec, const toml::node& rule_node, size_t index) {
  const toml::table& rule = *rule_node.as_table();
  DropAxesRule parsed;
  for (const auto& [key, node] : rule) {
    const std::string name(key.str());
    if (name != "when" && name != "axes")
      fail(spec, node, "drop_axes." + name, "unknown key (expected when and axes)");
  }
  const toml::node* when = rule.get("when");
  const toml::node* axes = rule.get("axes");
  if (!when || !when->is_table())
    fail(spec, rule_node, "drop_axes.when", "expected a table such as { model = [\"hs\"] }");
  if (!axes || !axes->is_array() || axes->as_array()->empty())
    fail(spec, axes ? *axes : rule_node, "drop_axes.axes",
         "expected a non-empty array of axis names");
  parsed.when = match_rule(spec, *when->as_table(), "drop_axes.when",
                           "drop_axes[" + std::to_string(index) + "].when");
  check_known_keys(spec, parsed.when, *when, "drop_axes.when");
  for (const auto& axis : *axes->as_array()) {
    if (!axis.is_string() || !is_axis(spec, axis.as_string()->get()))
      fail(spec, axis, "drop_axes.axes", "expected the name of a [grid] axis");
    parsed.axes.push_back(axis.as_string()->get());
  }
  return parsed;
}

void parse_rules(const toml::table& root, SweepSpec& spec) {
  if (const toml::node* exclude = root.get("exclude")) {
    for (const auto& rule : array_of_tables(spec, *exclude, "exclude")) {
      const std::string at = "exclude[" + std::to_string(spec.exclude.size()) + "]";
      spec.exclude.push_back(match_rule(spec, *rule.as_table(), "exclude", at));
      check_known_keys(spec, spec.exclude.back(), rule, "exclude");
    }
  }
  if (const toml::node* drop = root.get("drop_axes"))
    for (const auto& rule : array_of_tables(spec, *drop, "drop_axes"))
      spec.drop_axes.push_back(parse_drop_rule(spec, rule, spec.drop_axes.size()));
}

}  // namespace

SweepSpec parse_sweep_spec(const std::string& text, const std::string& source,
                           const std::string& base_dir, const std::vector<std::string>& overrides) {
  SweepSpec spec;
  spec.source = source;
  spec.text = text;
  spec.overrides = overrides;
  spec.base_dir = base_dir;
  std::map<std::string, std::string> override_locations;
  const toml::table root = parse_with_overrides(spec, overrides, override_locations);
  parse_top_level(root, base_dir, spec);
  parse_fixed(root, spec);
  parse_grid(root, spec);
  for (const auto& [key, location] : override_locations)
    if (spec.locations.count(key)) {
      spec.locations[key] = location;
      spec.overridden.insert(key);
    }
  parse_rules(root, spec);
  return spec;
}

SweepSpec load_sweep_spec(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(path + ": cannot read the spec file");
  std::ostringstream text;
  text << in.rdbuf();
  const auto base = std::filesystem::absolute(path).parent_path().string();
  return parse_sweep_spec(text.str(), path, base, overrides);
}

namespace {

void insert_value(toml::table& table, const std::string& name, const ParamValue& value) {
  std::visit([&](const auto& v) { table.insert_or_assign(name, v); }, value);
}

toml::array value_array(const std::vector<ParamValue>& values) {
  toml::array array;
  for (const auto& value : values) std::visit([&](const auto& v) { array.push_back(v); }, value);
  return array;
}

toml::table match_table(const ValueMatch& match) {
  toml::table table;
  for (const auto& [name, values] : match) table.insert_or_assign(name, value_array(values));
  return table;
}

}  // namespace

std::string spec_toml(const SweepSpec& spec) {
  toml::table root;
  root.insert_or_assign("kind", spec.kind);
  root.insert_or_assign("seed", static_cast<int64_t>(spec.seed));
  root.insert_or_assign("ranks_per_task", spec.ranks_per_task);
  if (!spec.out.empty()) root.insert_or_assign("out", spec.out);
  toml::table fixed;
  for (const auto& [name, value] : spec.fixed) insert_value(fixed, name, value);
  root.insert_or_assign("fixed", std::move(fixed));
  toml::array exclude, drop_axes;
  for (const auto& rule : spec.exclude) exclude.push_back(match_table(rule));
  for (const auto& rule : spec.drop_axes) {
    toml::array axes;
    for (const auto& axis : rule.axes) axes.push_back(axis);
    drop_axes.push_back(toml::table{{"when", match_table(rule.when)}, {"axes", std::move(axes)}});
  }
  if (!exclude.empty()) root.insert_or_assign("exclude", std::move(exclude));
  if (!drop_axes.empty()) root.insert_or_assign("drop_axes", std::move(drop_axes));
  std::ostringstream text;
  text << root << "\n";
  // A TOML table sorts its keys, but the grid's axis order is the order tasks expand in (and the
  // order of the summary's rows): each axis is written as a one-key table, in the spec's order.
  text << "\n[grid]\n";
  for (const auto& [name, values] : spec.grid)
    text << toml::table{{name, value_array(values)}} << "\n";
  return text.str();
}

namespace {
bool matches(const ValueMatch& match, const Params& params) {
  for (const auto& [key, values] : match) {
    auto it = params.find(key);
    if (it == params.end() || std::find(values.begin(), values.end(), it->second) == values.end())
      return false;
  }
  return true;
}
}  // namespace

namespace {

// `value` of setting `name` at `key` ("fixed.x", "grid.x", "exclude[0].x": SweepSpec::locations),
// checked and canonical, a relative path resolved.
ParamValue bound_value(const SweepSpec& spec, const SettingsSchema& settings,
                       const std::string& key, const std::string& name, const ParamValue& value) {
  const std::string at =
      spec.locations.count(key) ? spec.locations.at(key) : spec.source + ": key '" + key + "'";
  const Setting* setting = settings.find(name);
  if (setting == nullptr)
    throw SpecError(at + ": not a setting of " + spec.kind + did_you_mean(name, settings.names()));
  if (key.rfind("grid.", 0) == 0 && setting->role == SettingRole::run)
    throw SpecError(at + ": '" + name +
                    "' is a run setting (it never changes a result), so it cannot be a grid "
                    "axis: give one value in [fixed] or with --set");
  if (spec.arrays.count(key) && !setting->list)
    throw SpecError(at + ": setting '" + name + "' is no list: expected " +
                    riskstep::type_name(setting->default_value) +
                    ", got an array (values for one task each make a [grid] axis)");
  ParamValue checked;
  try {
    checked = settings.checked(name, value);
  } catch (const std::invalid_argument& error) {
    throw SpecError(at + ": " + error.what());
  }
  const auto* text = std::get_if<std::string>(&checked);
  if (!setting->path || !text) return checked;
  const auto& words = setting->path_words;
  if (std::find(words.begin(), words.end(), *text) != words.end()) return checked;
  // A path given with --set was typed in the shell: it is the current directory's.
  return resolve_path(
      *text, spec.overridden.count(key) ? std::filesystem::current_path().string() : spec.base_dir);
}

void bind_match(const SweepSpec& spec, const SettingsSchema& settings, const std::string& at,
                ValueMatch& match) {
  for (auto& [name, values] : match)
    for (auto& value : values) value = bound_value(spec, settings, at + "." + name, name, value);
}

}  // namespace

SweepSpec bind_settings(const SweepSpec& spec, const SettingsSchema& settings) {
  SweepSpec bound = spec;
  for (auto& [name, value] : bound.fixed)
    value = bound_value(spec, settings, "fixed." + name, name, value);
  for (auto& [name, values] : bound.grid)
    for (auto& value : values) value = bound_value(spec, settings, "grid." + name, name, value);
  for (size_t i = 0; i < bound.exclude.size(); ++i)
    bind_match(spec, settings, "exclude[" + std::to_string(i) + "]", bound.exclude[i]);
  for (size_t i = 0; i < bound.drop_axes.size(); ++i)
    bind_match(spec, settings, "drop_axes[" + std::to_string(i) + "].when",
               bound.drop_axes[i].when);
  return bound;
}

namespace {
void check_grid_size(const SweepSpec& spec, size_t max_tasks) {
  size_t combinations = 1;
  for (const auto& [name, values] : spec.grid) {
    if (values.size() > max_tasks / combinations)
      throw SpecError(spec.source + ": the grid has more than " + std::to_string(max_tasks) +
                      " combinations (the limit, --max-tasks); split the sweep or raise the limit");
    combinations *= values.size();
  }
}
}  // namespace

namespace {
Task make_spec_task(const SweepSpec& spec, const SettingsSchema& settings, const Params& given,
                    const InputDigest& input_digest) {
  try {
    return make_task(spec.kind, settings, given, spec.seed, spec.ranks_per_task, input_digest);
  } catch (const std::exception& error) {  // a bad setting, or input data that cannot be read
    std::string text = spec.kind;
    for (const auto& [name, value] : given) text += " " + name + "=" + param_to_string(value);
    throw SpecError(spec.source + ": task (" + text + "): " + error.what());
  }
}
}  // namespace

void for_each_task(const SweepSpec& given, const SettingsSchema& settings, size_t max_tasks,
                   const InputDigest& input_digest, const std::function<void(Task&&)>& take) {
  const SweepSpec spec = bind_settings(given, settings);
  check_grid_size(spec, max_tasks);
  std::vector<size_t> index(spec.grid.size(), 0);
  while (true) {
    Params params = spec.fixed;
    for (size_t a = 0; a < spec.grid.size(); ++a)
      params[spec.grid[a].first] = spec.grid[a].second[index[a]];
    bool excluded = false;
    for (const auto& rule : spec.exclude) excluded = excluded || matches(rule, params);
    if (!excluded) {
      Params kept = params;
      for (const auto& rule : spec.drop_axes)
        if (matches(rule.when, params))
          for (const auto& axis : rule.axes) kept.erase(axis);
      take(make_spec_task(spec, settings, kept, input_digest));
    }
    // Odometer over the axes, last axis fastest.
    size_t a = spec.grid.size();
    while (a > 0) {
      --a;
      if (++index[a] < spec.grid[a].second.size()) break;
      index[a] = 0;
      if (a == 0) return;
    }
    if (spec.grid.empty()) return;
  }
}

std::vector<Task> expand_tasks(const SweepSpec& spec, const SettingsSchema& settings,
                               size_t max_tasks, const InputDigest& input_digest) {
  std::vector<Task> tasks;
  std::set<std::string> seen;
  for_each_task(spec, settings, max_tasks, input_digest, [&](Task&& task) {
    if (seen.insert(task.id).second) tasks.push_back(std::move(task));
  });
  return tasks;
}

}  // namespace riskstep

#include "app/describe_command.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/run_command.h"

namespace riskstep {
namespace {

struct DescribeOptions {
  std::vector<std::string> kinds;  // empty: every kind
  std::string format = "markdown";
};

const char* role_name(SettingRole role) {
  switch (role) {
    case SettingRole::identity:
      return "identity";
    case SettingRole::label:
      return "label";
    case SettingRole::input:
      return "input";
    default:
      return "run";
  }
}

const char* value_type(const ParamValue& value) {
  static const char* names[] = {"bool", "integer", "number", "string"};
  return names[value.index()];
}

nlohmann::json json_value(const ParamValue& value) {
  return std::visit([](const auto& v) { return nlohmann::json(v); }, value);
}

// A list's "type" is "string", the type of its text ("0.01,0.05"); "item_type" is its items'.
// Bounds are "min" and "max" with "min_inclusive" and "max_inclusive", only when declared.
nlohmann::json setting_json(const Setting& setting) {
  nlohmann::json choices = nlohmann::json::array();
  for (const std::string& choice : setting.choices) {
    const auto label = setting.choice_labels.find(choice);
    choices.push_back({{"value", choice},
                       {"label", label == setting.choice_labels.end() ? choice : label->second}});
  }
  nlohmann::json json = {{"name", setting.name},
                         {"role", role_name(setting.role)},
                         {"type", value_type(setting.default_value)},
                         {"default", json_value(setting.default_value)},
                         {"choices", choices},
                         {"help", setting.help},
                         {"list", setting.list.has_value()},
                         {"path", setting.path},
                         {"rules", rules_text(setting)}};
  if (setting.list) {
    json["item_type"] = value_type(setting.list->item);
    json["distinct"] = setting.list->distinct;
    json["non_empty"] = setting.list->non_empty;
  }
  if (setting.path) json["path_words"] = setting.path_words;
  // An integer setting's bounds as integers (2, not 2.0).
  const bool integers =
      std::holds_alternative<int64_t>(setting.list ? setting.list->item : setting.default_value);
  const auto number = [&](double value) {
    return integers ? nlohmann::json(static_cast<int64_t>(value)) : nlohmann::json(value);
  };
  if (setting.min) json["min"] = number(setting.min->value);
  if (setting.min) json["min_inclusive"] = setting.min->inclusive;
  if (setting.max) json["max"] = number(setting.max->value);
  if (setting.max) json["max_inclusive"] = setting.max->inclusive;
  return json;
}

void print_json(const JobRegistry& registry, const std::vector<std::string>& kinds) {
  nlohmann::json document = {{"kinds", nlohmann::json::array()}};
  for (const std::string& name : kinds) {
    const JobKind& kind = registry.kind(name);
    nlohmann::json settings = nlohmann::json::array();
    for (const Setting& setting : kind.settings.settings())
      settings.push_back(setting_json(setting));
    document["kinds"].push_back(
        {{"name", kind.name}, {"description", kind.description}, {"settings", settings}});
  }
  std::cout << document.dump(2) << "\n";
}

std::string choices_text(const Setting& setting) {
  std::string text;
  for (const std::string& choice : setting.choices) {
    const auto label = setting.choice_labels.find(choice);
    text += (text.empty() ? "" : ", ") + choice +
            (label == setting.choice_labels.end() ? "" : " (" + label->second + ")");
  }
  return text;
}

// A Markdown table cell: a '|' in a help text would end it.
std::string cell(const std::string& text) {
  std::string escaped;
  for (char c : text) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
  return escaped;
}

void print_markdown(const JobRegistry& registry, const std::vector<std::string>& kinds) {
  for (const std::string& name : kinds) {
    const JobKind& kind = registry.kind(name);
    std::cout << "## " << kind.name << "\n" << kind.description << "\n\n";
    std::cout << "| setting | role | type | default | choices | values | meaning |\n"
              << "|---|---|---|---|---|---|---|\n";
    for (const Setting& s : kind.settings.settings())
      std::cout << "| " << s.name << " | " << role_name(s.role) << " | "
                << (s.list ? std::string(value_type(s.list->item)) + " list"
                           : value_type(s.default_value))
                << " | " << cell(param_to_string(s.default_value)) << " | " << cell(choices_text(s))
                << " | " << cell(rules_text(s)) << " | " << cell(s.help) << " |\n";
    std::cout << "\n";
  }
}

int run_describe(const DescribeOptions& options, const JobRegistry& registry) {
  const std::vector<std::string> kinds = options.kinds.empty() ? registry.names() : options.kinds;
  for (const std::string& name : kinds) registry.kind(name);  // throws naming the known kinds
  if (options.format == "json")
    print_json(registry, kinds);
  else
    print_markdown(registry, kinds);
  return exit_status::ok;
}

}  // namespace

void add_describe_command(CLI::App& app, const JobRegistry& registry, int& exit_code) {
  auto options = std::make_shared<DescribeOptions>();
  CLI::App* command =
      app.add_subcommand("describe", "List the job kinds and every setting they declare");
  command->footer(
      "Examples:\n"
      "  riskstep describe                          (every kind, Markdown)\n"
      "  riskstep describe backtest_var --format json\n"
      "Roles: identity and label settings enter the task id (identity also the seed); input\n"
      "settings locate data (its content enters the id); run settings never change a number.\n"
      "Values: a list is given as 0.01,0.05 (integers also 0-9) or a spec's array; a path in a\n"
      "spec file is relative to the spec file's folder; bounds are checked before any task runs.");
  command->add_option("kinds", options->kinds, "Job kinds (default: all)");
  command->add_option("--format", options->format, "markdown or json")
      ->check(CLI::IsMember({"markdown", "json"}))
      ->capture_default_str();
  command->callback([options, &registry, &exit_code] {
    exit_code = run_command(
        "describe", [&] { return run_describe(*options, registry); }, exit_status::bad_input);
  });
}

}  // namespace riskstep

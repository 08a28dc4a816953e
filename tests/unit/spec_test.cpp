#include "pipeline/spec/sweep_spec.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "test_data.h"

namespace riskstep {
namespace {

// The settings of a made-up kind "k" (the spec layer knows no real job kind).
const SettingsSchema& schema() {
  static const SettingsSchema settings = [] {
    SettingsSchema s;
    for (const char* name : {"model", "period", "name", "extra_dir"})
      s.add({name, std::string(), SettingRole::identity, "", {}, {}, {}});
    s.add({"levels", std::string(), SettingRole::identity, "", {}, {}, {}})
        .list(0.0)
        .min({0, false})
        .max({0.5, false})
        .distinct();
    s.add({"blocks", std::string(), SettingRole::identity, "", {}, {}, {}}).list(int64_t{0});
    s.add({"data_dir", std::string(), SettingRole::input, "", {}, {}, {}}).path();
    s.add({"data", std::string(), SettingRole::input, "", {}, {}, {}}).path({"synthetic"});
    for (const char* name : {"seed", "x", "m", "i"})
      s.add({name, int64_t{0}, SettingRole::identity, "", {}, {}, {}});
    s.add({"level", 0.01, SettingRole::identity, "", {}, {}, {}});
    s.add({"window", int64_t{251}, SettingRole::identity, "", {}, {}, {}})
        .min({2, true})
        .max({5000, true});
    s.add({"threads", int64_t{0}, SettingRole::run, "", {}, {}, {}});
    s.add({"work_ms", int64_t{0}, SettingRole::run, "", {}, {}, {}});
    return s;
  }();
  return settings;
}

std::vector<Task> expand(const SweepSpec& spec) {
  return expand_tasks(spec, schema());
}

std::string expand_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    expand(parse_sweep_spec(text, "spec.toml", "/base/dir", overrides));
  } catch (const SpecError& error) {
    return error.what();
  }
  return "(no error)";
}

SweepSpec parse(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return parse_sweep_spec(text, "spec.toml", "/base/dir", overrides);
}

std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    parse(text, overrides);
  } catch (const SpecError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(Spec, ExampleSpecExpandsWithDropAndExclude) {
  const SweepSpec spec =
      load_sweep_spec(std::string(RISKSTEP_SOURCE_DIR) + "/tests/specs/echo_grid.toml");
  EXPECT_EQ(spec.kind, "echo");
  EXPECT_EQ(spec.seed, 7u);
  EXPECT_EQ(spec.out, std::string(RISKSTEP_SOURCE_DIR) + "/tests/specs/out/toy");
  // Paths resolve once the kind's settings say which settings are paths.
  EXPECT_EQ(std::get<std::string>(spec.fixed.at("data_dir")), "../data");
  EXPECT_EQ(std::get<std::string>(bind_settings(spec, schema()).fixed.at("data_dir")),
            std::string(RISKSTEP_SOURCE_DIR) + "/tests/data");
  EXPECT_EQ(std::get<std::string>(spec.fixed.at("levels")), "0.01,0.05");
  ASSERT_EQ(spec.grid.size(), 3u);
  EXPECT_EQ(spec.grid[0].first, "model");  // file order, not alphabetical
  EXPECT_EQ(spec.grid[2].second.size(), 3u);

  const auto tasks = expand(spec);
  // hs, garch: 2 periods each, seed dropped -> 4; mdn: 2 periods x 3 seeds minus (covid, 2) -> 5.
  ASSERT_EQ(tasks.size(), 9u);
  std::set<std::string> ids;
  for (const auto& task : tasks) {
    ids.insert(task.id);
    const std::string model = std::get<std::string>(task.params.at("model"));
    // A dropped axis takes the setting's default (0 in this schema).
    if (model != "mdn") {
      EXPECT_EQ(std::get<int64_t>(task.params.at("seed")), 0) << model;
    }
    EXPECT_LT(task.seed, uint64_t{1} << 60);
  }
  EXPECT_EQ(ids.size(), tasks.size());
  // Stable: the same spec gives the same ids in the same order.
  const auto again = expand(spec);
  for (size_t i = 0; i < tasks.size(); ++i) EXPECT_EQ(tasks[i].id, again[i].id);
}

TEST(Spec, NoGridMeansOneTask) {
  const auto tasks = expand(parse("kind = \"k\"\n[fixed]\nx = 1\n"));
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(tasks[0].params.at("x")), 1);
}

TEST(Spec, OverridesReplaceFixedAndGridValues) {
  const std::string text =
      "kind = \"k\"\nseed = 1\n[fixed]\nlevel = 0.01\nname = \"a\"\n"
      "[grid]\nmodel = [\"hs\", \"garch\"]\nseed = \"0-3\"\n";
  const SweepSpec spec = parse(text, {"seed=9", "level=0.05", "grid.model=hs,cmm", "name=b c",
                                      "grid.seed=1-2", "fixed.extra_dir=rel", "ranks_per_task=2"});
  EXPECT_EQ(spec.seed, 9u);
  EXPECT_EQ(spec.ranks_per_task, 2);
  EXPECT_EQ(std::get<double>(spec.fixed.at("level")), 0.05);
  EXPECT_EQ(std::get<std::string>(spec.fixed.at("name")), "b c");
  // --set values are relative to the current directory, not the spec's: left as typed... then
  // resolved like file values only when they come from the file.
  EXPECT_EQ(spec.grid[0].first, "model");
  EXPECT_EQ(spec.grid[0].second, (std::vector<ParamValue>{std::string("hs"), std::string("cmm")}));
  EXPECT_EQ(spec.grid[1].second, (std::vector<ParamValue>{int64_t{1}, int64_t{2}}));
  EXPECT_EQ(expand(spec).size(), 4u);

  // A bare name that is a grid axis pins the axis to the given values.
  const SweepSpec pinned = parse(text, {"model=garch"});
  EXPECT_EQ(pinned.grid[0].second, (std::vector<ParamValue>{std::string("garch")}));
  EXPECT_EQ(expand(pinned).size(), 4u);
}

struct BadSpec {
  std::string text;
  std::string expected;  // substring of the one-line message
};

TEST(Spec, BadSpecsNameTheLineAndKey) {
  const std::vector<BadSpec> cases = {
      {"kind = \"k\"\nsede = 3\n", "spec.toml:2: key 'sede': unknown key"},
      {"seed = 3\n", "spec.toml:1: key 'kind': missing"},
      {"kind = 3\n", "spec.toml:1: key 'kind': expected a non-empty string, found an integer"},
      {"kind = \"k\"\nseed = \"x\"\n", "spec.toml:2: key 'seed': expected a non-negative integer"},
      {"kind = \"k\"\nseed = -1\n", "spec.toml:2: key 'seed'"},
      {"kind = \"k\"\nranks_per_task = 0\n",
       "spec.toml:2: key 'ranks_per_task': expected an integer >= 1"},
      {"kind = \"k\"\n[grid]\nmodel = []\n",
       "spec.toml:3: key 'grid.model': expected a non-empty array"},
      {"kind = \"k\"\n[grid]\nmodel = \"hs\"\n",
       "spec.toml:3: key 'grid.model': expected a non-empty array of scalars or an \"a-b\" integer "
       "range, found a string"},
      {"kind = \"k\"\n[grid]\nseed = \"9-2\"\n",
       "spec.toml:3: key 'grid.seed': range '9-2' runs backwards"},
      {"kind = \"k\"\n[grid]\nm = [1, [2]]\n",
       "spec.toml:3: key 'grid.m': expected a non-empty array of scalars"},
      {"kind = \"k\"\n[grid]\nm = [1, 1]\n", "spec.toml:3: key 'grid.m': value 1 is listed twice"},
      {"kind = \"k\"\n[fixed]\nx = { a = 1 }\n",
       "spec.toml:3: key 'fixed.x': expected a string, number, boolean or array of them, found a "
       "table"},
      {"kind = \"k\"\n[fixed]\nm = 1\n[grid]\nm = [1, 2]\n",
       "spec.toml:5: key 'grid.m': is also in [fixed]"},
      {"kind = \"k\"\n[grid]\nm = [1]\n[[exclude]]\nq = 1\n",
       "spec.toml:4: key 'exclude.q': names no [grid] axis"},
      {"kind = \"k\"\n[grid]\nm = [1]\n[[drop_axes]]\nwhen = { m = 1 }\naxes = [\"z\"]\n",
       "spec.toml:6: key 'drop_axes.axes': expected the name of a [grid] axis"},
      {"kind = \"k\"\n[grid]\nm = [1]\n[[drop_axes]]\nwhen = { m = 1 }\n",
       "key 'drop_axes.axes': expected a non-empty array"},
      {"kind = \"k\"\nexclude = 3\n", "spec.toml:2: key 'exclude': expected [[exclude]] tables"},
      {"kind = \"k\"\nseed = 1\nseed = 2\n", "spec.toml:3: "},  // toml++: redefinition
      {"kind = \"k\"\nout = 5\n", "spec.toml:2: key 'out': expected a string"},
      {"kind = \"k\"\n[fixed]\nwhen = 1979-05-27\n",
       "spec.toml:3: key 'fixed.when': expected a string, number, boolean or array of them, found "
       "a date/time"},
  };
  for (const auto& c : cases) {
    const std::string message = error_of(c.text);
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "spec:\n"
        << c.text << "message: " << message << "\nexpected: " << c.expected;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;  // one line
  }
}

TEST(Spec, BadOverridesNameTheOverride) {
  const std::string text = "kind = \"k\"\n[grid]\nm = [1]\n";
  EXPECT_NE(error_of(text, {"seed=abc"}).find("spec.toml: --set seed=abc: key 'seed'"),
            std::string::npos)
      << error_of(text, {"seed=abc"});
  EXPECT_NE(error_of(text, {"novalue"}).find("--set novalue: expected key=value"),
            std::string::npos);
  EXPECT_NE(error_of(text, {"grid.m=[]"}).find("--set grid.m=[]: key 'grid.m'"), std::string::npos)
      << error_of(text, {"grid.m=[]"});
}

TEST(Spec, UnknownSettingsAreRefusedWithAHint) {
  const std::string text = "kind = \"k\"\n[fixed]\nwindw = 100\n[grid]\nmodel = [\"a\"]\n";
  EXPECT_EQ(expand_error(text),
            "spec.toml:3: key 'fixed.windw': not a setting of k (did you mean 'window'?)");
  EXPECT_EQ(expand_error("kind = \"k\"\n[grid]\nmodel = [\"a\"]\n", {"grid.foo=1,2"}),
            "spec.toml: --set grid.foo=1,2: key 'grid.foo': not a setting of k");
  EXPECT_EQ(expand_error("kind = \"k\"\n[fixed]\nwindow = \"x\"\n"),
            "spec.toml:3: key 'fixed.window': setting 'window': expected an integer, got x");
  EXPECT_NE(expand_error("kind = \"k\"\n[grid]\nthreads = [1, 2]\n")
                .find("spec.toml:3: key 'grid.threads': 'threads' is a run setting"),
            std::string::npos);
}

TEST(Spec, RunSettingsNeverChangeIdsOrSeeds) {
  const std::string text = "kind = \"k\"\nseed = 3\n[grid]\nmodel = [\"a\", \"b\"]\n";
  const auto plain = expand(parse(text));
  const auto one = expand(parse(text, {"threads=1"}));
  const auto two = expand(parse(text, {"threads=2", "work_ms=5"}));
  ASSERT_EQ(plain.size(), 2u);
  for (size_t i = 0; i < plain.size(); ++i) {
    EXPECT_EQ(one[i].id, plain[i].id);
    EXPECT_EQ(two[i].id, plain[i].id);
    EXPECT_EQ(two[i].seed, plain[i].seed);
    EXPECT_EQ(one[i].params, plain[i].params);
    EXPECT_EQ(std::get<int64_t>(two[i].run_settings.at("threads")), 2);
    EXPECT_TRUE(plain[i].run_settings.empty());
  }
  // An integer for a number setting is that number: the same task as writing 0.05.
  EXPECT_EQ(expand(parse("kind = \"k\"\n[fixed]\nlevel = 1\n"))[0].id,
            expand(parse("kind = \"k\"\n[fixed]\nlevel = 1.0\n"))[0].id);
}

TEST(Spec, WrittenSpecParsesBackToTheSameTasks) {
  const SweepSpec spec =
      load_sweep_spec(std::string(RISKSTEP_SOURCE_DIR) + "/tests/specs/echo_grid.toml");
  const SweepSpec again = parse_sweep_spec(spec_toml(spec), "written.toml", "/elsewhere");
  const auto tasks = expand(spec), tasks_again = expand(again);
  ASSERT_EQ(tasks.size(), tasks_again.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    EXPECT_EQ(tasks[i].id, tasks_again[i].id);
    EXPECT_EQ(tasks[i].seed, tasks_again[i].seed);
  }
  // The axes keep their order (not sorted by name): tasks expand, and results list, in it.
  const SweepSpec ordered = parse_sweep_spec(
      "kind = \"k\"\n[grid]\nx = [1, 2]\nmodel = [\"a\", \"b\"]\n", "spec.toml", "/base");
  const auto first = expand(ordered),
             written = expand(parse_sweep_spec(spec_toml(ordered), "written.toml", "/elsewhere"));
  ASSERT_EQ(first.size(), written.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].id, written[i].id);
}

TEST(Spec, PathSettingsResolveAgainstTheSpecFolderWhateverTheirName) {
  const std::string text =
      "kind = \"k\"\n[fixed]\ndata = \"prices/a.csv\"\ndata_dir = \"../d\"\n"
      "extra_dir = \"rel\"\n";
  const SweepSpec bound = bind_settings(parse(text), schema());
  EXPECT_EQ(std::get<std::string>(bound.fixed.at("data")), "/base/dir/prices/a.csv");
  EXPECT_EQ(std::get<std::string>(bound.fixed.at("data_dir")), "/base/d");
  // A name ending in _dir makes no path: only the declaration does.
  EXPECT_EQ(std::get<std::string>(bound.fixed.at("extra_dir")), "rel");
  // Path words and absolute paths stay as they are.
  const SweepSpec words = bind_settings(
      parse("kind = \"k\"\n[fixed]\ndata = \"synthetic\"\ndata_dir = \"/abs\"\n"), schema());
  EXPECT_EQ(std::get<std::string>(words.fixed.at("data")), "synthetic");
  EXPECT_EQ(std::get<std::string>(words.fixed.at("data_dir")), "/abs");
  // A path given with --set was typed in the shell: the current directory's.
  const SweepSpec set = bind_settings(parse(text, {"data_dir=here"}), schema());
  EXPECT_EQ(std::get<std::string>(set.fixed.at("data_dir")),
            (std::filesystem::current_path() / "here").string());
  // A grid of paths resolves each value; the written spec keeps them resolved.
  const SweepSpec grid =
      bind_settings(parse("kind = \"k\"\n[grid]\ndata = [\"a.csv\", \"synthetic\"]\n"), schema());
  EXPECT_EQ(grid.grid[0].second,
            (std::vector<ParamValue>{std::string("/base/dir/a.csv"), std::string("synthetic")}));
  const SweepSpec again = parse_sweep_spec(spec_toml(grid), "written.toml", "/elsewhere");
  EXPECT_EQ(bind_settings(again, schema()).grid[0].second, grid.grid[0].second);
}

TEST(Spec, ListSettingsAreOneTaskHoweverWritten) {
  const auto id_of = [](const std::string& fixed, const std::vector<std::string>& set = {}) {
    return expand(parse("kind = \"k\"\n[fixed]\n" + fixed + "\n", set)).at(0).id;
  };
  const std::string id = id_of("levels = [0.01, 0.05]");
  EXPECT_EQ(id_of("levels = \"0.01, 0.05\""), id);
  EXPECT_EQ(id_of("levels = \"1e-2,0.05\""), id);
  EXPECT_EQ(id_of("", {"levels=0.01,0.05"}), id);
  EXPECT_EQ(id_of("", {"levels=[0.01, 0.05]"}), id);
  EXPECT_NE(id_of("levels = [0.05, 0.01]"), id);  // the order is the list's
  // Integer lists take ranges; the task holds the canonical text.
  const Task blocks = expand(parse("kind = \"k\"\n[fixed]\nblocks = \"0-2, 7\"\n")).at(0);
  EXPECT_EQ(std::get<std::string>(blocks.params.at("blocks")), "0,1,2,7");
  EXPECT_EQ(expand(parse("kind = \"k\"\n[fixed]\nblocks = [0, 1, 2, 7]\n")).at(0).id, blocks.id);
}

TEST(Spec, BadValuesFailWithLineSettingAndItem) {
  EXPECT_EQ(expand_error("kind = \"k\"\n[fixed]\nwindow = 1\n"),
            "spec.toml:3: key 'fixed.window': setting 'window': expected 2 to 5000, got 1");
  EXPECT_EQ(expand_error("kind = \"k\"\n[grid]\nwindow = [251, 9000]\n"),
            "spec.toml:3: key 'grid.window': setting 'window': expected 2 to 5000, got 9000");
  EXPECT_EQ(expand_error("kind = \"k\"\n", {"window=1"}),
            "spec.toml: --set window=1: key 'fixed.window': setting 'window': expected 2 to 5000, "
            "got 1");
  EXPECT_EQ(expand_error("kind = \"k\"\n\n[fixed]\nlevels = [0.01, 0.7]\n"),
            "spec.toml:4: key 'fixed.levels': setting 'levels': item 0.7: expected more than 0 "
            "and less than 0.5");
  EXPECT_EQ(expand_error("kind = \"k\"\n[fixed]\nlevels = \"0.01,0.01\"\n"),
            "spec.toml:3: key 'fixed.levels': setting 'levels': item 0.01 is listed twice");
  EXPECT_EQ(expand_error("kind = \"k\"\n[fixed]\nlevels = \"0.01,,0.05\"\n"),
            "spec.toml:3: key 'fixed.levels': setting 'levels': an empty item in '0.01,,0.05'");
  EXPECT_EQ(expand_error("kind = \"k\"\n[fixed]\nblocks = \"0,x\"\n"),
            "spec.toml:3: key 'fixed.blocks': setting 'blocks': item 'x': expected an integer");
  // Only a list setting takes an array.
  EXPECT_EQ(expand_error("kind = \"k\"\n[fixed]\nperiod = [\"a\", \"b\"]\n"),
            "spec.toml:3: key 'fixed.period': setting 'period' is no list: expected a string, got "
            "an array (values for one task each make a [grid] axis)");
  // Rule values are checked too, naming their line.
  EXPECT_EQ(expand_error("kind = \"k\"\n[grid]\nwindow = [251, 500]\n[[exclude]]\nwindow = 1\n"),
            "spec.toml:5: key 'exclude.window': setting 'window': expected 2 to 5000, got 1");
}

TEST(Spec, GridOverridesAndRulesReadValuesAsTheSettingDoes) {
  const std::string text = "kind = \"k\"\n[grid]\nx = [0]\nlevel = [0.01, 1]\n";
  const SweepSpec spec = parse(text, {"x=0-2,5"});
  EXPECT_EQ(spec.grid[0].second,
            (std::vector<ParamValue>{int64_t{0}, int64_t{1}, int64_t{2}, int64_t{5}}));
  EXPECT_NE(error_of(text, {"x=1,,2"}).find("--set x=1,,2: an empty item in '1,,2'"),
            std::string::npos)
      << error_of(text, {"x=1,,2"});
  // An integer in a rule for a number setting matches that number.
  const auto tasks = expand(parse(text + "[[exclude]]\nlevel = 1\n"));
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(std::get<double>(tasks[0].params.at("level")), 0.01);
}

TEST(Spec, HostileTextIsRefusedBeforeItCosts) {
  EXPECT_EQ(expand_error("kind = \"k\"\n[fixed]\nmodel = \"a\x01"
                         "b\"\n"),
            "spec.toml:3: control character 0x01 (TOML allows none but tab)");
  // Four axes of 100,000 values: refused from the axis sizes, before any task exists.
  const std::string huge =
      "kind = \"k\"\n[grid]\ni = \"0-99999\"\nseed = \"0-99999\"\nx = \"0-99999\"\n"
      "m = \"0-99999\"\n";
  EXPECT_NE(expand_error(huge).find("more than 1000000 combinations"), std::string::npos);
  EXPECT_NE(expand_error("kind = \"k\"\n[grid]\nseed = \"0-99999999999999999999\"\n")
                .find("is too large"),
            std::string::npos);
}

TEST(Spec, MissingFileIsOneLine) {
  try {
    load_sweep_spec("/nonexistent/spec.toml");
    FAIL();
  } catch (const SpecError& error) {
    EXPECT_EQ(std::string(error.what()), "/nonexistent/spec.toml: cannot read the spec file");
  }
}

}  // namespace
}  // namespace riskstep

// A task's identity is its content (pipeline/core/task_identity.h): these pin the rules.
#include "pipeline/core/task_identity.h"

#include <gtest/gtest.h>

#include "pipeline/core/typed_settings.h"

namespace riskstep {
namespace {

struct Model {
  std::string index;
  std::string model = "a";
  int64_t window = 251;
  int64_t epochs = 10;  // read by model "b" only
  std::string data;     // where the input lies
  int threads = 0;
};

const SettingsOf<Model>& model_settings() {
  static const auto bound = SettingsOf<Model>()
                                .label("index", &Model::index, "A name")
                                .identity("model", &Model::model, "Model", {"a", "b"})
                                .identity("window", &Model::window, "Window")
                                .identity("epochs", &Model::epochs, "Epochs")
                                .used_when("model", {"b"})
                                .input("data", &Model::data, "Input path")
                                .run("threads", &Model::threads, "Threads");
  return bound;
}

// The input's content: here the path's last letter stands for the bytes of the file.
std::string content_of(const Params& settings) {
  const auto data = settings.find("data");
  if (data == settings.end()) return "";
  const auto& path = std::get<std::string>(data->second);
  return path.empty() ? "" : std::string(64, path.back());
}

Task task(const Params& given, uint64_t spec_seed = 7,
          const SettingsSchema& schema = model_settings().schema()) {
  return make_task("k", schema, given, spec_seed, 1, content_of);
}

TEST(Task, WritingADefaultOutIsTheSameTask) {
  const Task plain = task({{"model", std::string("a")}});
  const Task written = task({{"model", std::string("a")}, {"window", int64_t{251}}});
  EXPECT_EQ(plain.id, written.id);
  EXPECT_EQ(plain.seed, written.seed);
  EXPECT_EQ(plain.params, written.params);  // both hold every default
  EXPECT_EQ(std::get<int64_t>(plain.params.at("window")), 251);
  EXPECT_NE(plain.id, task({{"window", int64_t{250}}}).id);
}

TEST(Task, ANewSettingWithADefaultChangesNoId) {
  SettingsSchema grown = model_settings().schema();
  Setting added;
  added.name = "lags";
  added.default_value = int64_t{10};
  grown.add(added);
  const Params given = {{"model", std::string("b")}, {"epochs", int64_t{5}}};
  EXPECT_EQ(task(given).id, task(given, 7, grown).id);
  EXPECT_NE(task(given).id, task({{"model", std::string("b")}, {"lags", int64_t{3}}}, 7, grown).id);
}

TEST(Task, ATypeChangeKeepsTheEncoding) {
  // `window` declared as a number instead of an integer: whole numbers encode alike.
  SettingsSchema as_double;
  for (Setting setting : model_settings().schema().settings()) {
    if (setting.name == "window") setting.default_value = 251.0;
    as_double.add(setting);
  }
  EXPECT_EQ(task({{"window", int64_t{250}}}).id, task({{"window", 250.0}}, 7, as_double).id);
  EXPECT_EQ(canonical_text(250.0), "250");
  EXPECT_EQ(canonical_text(0.05), "0.05");
  EXPECT_EQ(canonical_text(true), "true");
}

TEST(Task, SettingsAModelDoesNotReadAreNoPartOfIt) {
  const Task a = task({{"model", std::string("a")}});
  const Task a_tuned = task({{"model", std::string("a")}, {"epochs", int64_t{50}}});
  EXPECT_EQ(a.id, a_tuned.id);
  EXPECT_EQ(a.params.count("epochs"), 0u);
  const Task b = task({{"model", std::string("b")}});
  const Task b_tuned = task({{"model", std::string("b")}, {"epochs", int64_t{50}}});
  EXPECT_NE(b.id, b_tuned.id);
  EXPECT_EQ(std::get<int64_t>(b.params.at("epochs")), 10);
}

TEST(Task, InputEntersByContentNeverByPath) {
  const Task here = task({{"data", std::string("/home/me/x")}});
  const Task there = task({{"data", std::string("/scratch/copy/x")}});  // the same bytes
  const Task other = task({{"data", std::string("/home/me/y")}});
  EXPECT_EQ(here.id, there.id);
  EXPECT_EQ(here.seed, there.seed);
  EXPECT_EQ(here.input_sha256, std::string(64, 'x'));
  EXPECT_NE(here.id, other.id);
  EXPECT_EQ(std::get<std::string>(there.run_settings.at("data")), "/scratch/copy/x");
}

TEST(Task, RunSettingsAreNotHashed) {
  const Task plain = task({{"model", std::string("a")}});
  const Task threaded = task({{"model", std::string("a")}, {"threads", int64_t{2}}});
  EXPECT_EQ(plain.id, threaded.id);
  EXPECT_EQ(plain.seed, threaded.seed);
  EXPECT_EQ(describe(threaded, model_settings().schema()), "k [threads=2]");
  const Task b = task({{"model", std::string("b")}, {"data", std::string("/d/x")}});
  EXPECT_EQ(describe(b, model_settings().schema()), "k model=b input=xxxxxxxxxxxx [data=/d/x]");
}

TEST(Task, ALabelNamesTheTaskButSeedsNothing) {
  const Task ftse = task({{"index", std::string("ftse")}});
  const Task named_otherwise = task({{"index", std::string("ftse100")}});
  EXPECT_NE(ftse.id, named_otherwise.id);
  EXPECT_EQ(ftse.seed, named_otherwise.seed);
  const auto& schema = model_settings().schema();
  EXPECT_EQ(content_seed(ftse, schema, {}, "p"), content_seed(named_otherwise, schema, {}, "p"));
}

TEST(Task, IdAndSeedArePinned) {
  // The document hashed, and its hash: a change here changes every task id of every study.
  const Task t = task({{"index", std::string("ftse")},
                       {"model", std::string("b")},
                       {"epochs", int64_t{5}},
                       {"data", std::string("/d/x")}});
  EXPECT_EQ(identity_document(t, model_settings().schema(), true),
            R"({"input":")" + std::string(64, 'x') +
                R"(","kind":"k","settings":{"epochs":"5","index":"ftse","model":"b"}})");
  EXPECT_EQ(t.id.size(), 16u);
  EXPECT_EQ(t.id, "1342f8ddf0b53ea6");
  EXPECT_NE(t.seed, task({{"index", std::string("ftse")},
                          {"model", std::string("b")},
                          {"epochs", int64_t{5}},
                          {"data", std::string("/d/x")}},
                         8)
                        .seed);
  EXPECT_LT(t.seed, uint64_t{1} << 60);
}

TEST(Task, ContentSeedsLeaveOutWhatIsAsked) {
  const auto& schema = model_settings().schema();
  const Task w1 = task({{"window", int64_t{100}}});
  const Task w2 = task({{"window", int64_t{200}}});
  EXPECT_NE(content_seed(w1, schema, {}, "p"), content_seed(w2, schema, {}, "p"));
  EXPECT_EQ(content_seed(w1, schema, {"window"}, "p"), content_seed(w2, schema, {"window"}, "p"));
  EXPECT_NE(content_seed(w1, schema, {}, "p"), content_seed(w1, schema, {}, "q"));
  // Independent of the spec seed.
  EXPECT_EQ(content_seed(task({}, 1), schema, {}, "p"), content_seed(task({}, 2), schema, {}, "p"));
}

TEST(Task, ParamsSurviveJson) {
  const Params params{{"b", true}, {"i", int64_t{-3}}, {"d", 0.05}, {"s", std::string("x y")}};
  EXPECT_EQ(params_from_json(params_json(params)), params);
  EXPECT_EQ(param_to_string(0.05), "0.05");
  EXPECT_THROW(params_from_json("[1, 2]"), std::runtime_error);
}

}  // namespace
}  // namespace riskstep

// Quoting and validation of values that go into sbatch scripts. The quoting is proven by
// handing quoted hostile strings to a real bash and reading back what it saw.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "pipeline/cluster/slurm_client.h"
#include "pipeline/cluster/slurm_values.h"

namespace riskstep {
namespace {

const std::string kMarker = "/tmp/riskstep-slurm-values-test-injected";

std::vector<std::string> hostile_strings() {
  return {"plain",
          "with space",
          "it's",
          "'",
          "''",
          "\"double\" quotes",
          "$(touch " + kMarker + ")",
          "`touch " + kMarker + "`",
          "${IFS}$HOME",
          "a\nb\ntouch " + kMarker,
          "'; touch " + kMarker + "; echo '",
          "\\'\\\\ backslashes \\",
          "tab\there",
          "glob * ? [a]",
          "!history !!",
          "-n",
          "",
          "ünïcödé",
          "\x01\x7f control"};
}

TEST(SlurmValues, SingleQuoteOfPlainText) {
  EXPECT_EQ(shell_single_quote("abc"), "'abc'");
  EXPECT_EQ(shell_single_quote(""), "''");
  EXPECT_EQ(shell_single_quote("it's"), "'it'\\''s'");
}

TEST(SlurmValues, BashReadsQuotedHostileStringsBackVerbatim) {
  std::filesystem::remove(kMarker);
  for (const std::string& text : hostile_strings()) {
    const CommandResult result =
        run_command({"bash", "-c", "printf '%s' " + shell_single_quote(text)});
    EXPECT_EQ(result.exit_status, 0) << text;
    EXPECT_EQ(result.output, text);
  }
  EXPECT_FALSE(std::filesystem::exists(kMarker)) << "a quoted string ran a command";
}

TEST(SlurmValues, QuotedStringIsOneWordWhenConcatenated) {
  // The script writes: run "$riskstep" sweep ... 'arg1' 'arg2'; each must stay one argument.
  std::string command = "printf '<%s>'";
  std::string expected;
  for (const std::string& text : hostile_strings()) {
    command += " " + shell_single_quote(text);
    expected += "<" + text + ">";
  }
  const CommandResult result = run_command({"bash", "-c", command});
  EXPECT_EQ(result.output, expected);
}

TEST(SlurmValues, NulByteIsRefused) {
  EXPECT_THROW(shell_single_quote(std::string("a\0b", 3)), std::invalid_argument);
}

TEST(SlurmValues, NamesAcceptSlurmCharactersOnly) {
  EXPECT_EQ(validate_slurm_name("--job-name", "riskstep-var_1.2"), "riskstep-var_1.2");
  for (const std::string& bad : {std::string(""), std::string("-leading"), std::string("a b"),
                                 std::string("a\nb"), std::string("$(x)"), std::string("a'b"),
                                 std::string("a\"b"), std::string("a;b"), std::string(65, 'x')})
    EXPECT_THROW(validate_slurm_name("--job-name", bad), std::invalid_argument) << bad;
  try {
    validate_slurm_name("--partition", "gpu\n#SBATCH --x");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--partition"), std::string::npos);
  }
}

TEST(SlurmValues, ErrorsStayOnOneLine) {
  for (const std::string& bad : {std::string("a\n#SBATCH --uid=0"), std::string("x\ry\x01")}) {
    try {
      validate_slurm_name("--job-name", bad);
      FAIL() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find_first_of("\n\r"), std::string::npos) << e.what();
    }
    try {
      parse_slurm_time_limit("--time", bad);
      FAIL() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find_first_of("\n\r"), std::string::npos) << e.what();
    }
  }
}

TEST(SlurmValues, SanitizedNamesAreValid) {
  for (const std::string& text : hostile_strings())
    EXPECT_NO_THROW(validate_slurm_name("--job-name", sanitize_slurm_name(text))) << text;
  EXPECT_EQ(sanitize_slurm_name("riskstep-my spec$(x)"), "riskstep-my_spec__x_");
}

TEST(SlurmValues, TimeLimitsInEverySlurmForm) {
  EXPECT_EQ(parse_slurm_time_limit("--time", "30"), 30 * 60);
  EXPECT_EQ(parse_slurm_time_limit("--time", "30:15"), 30 * 60 + 15);
  EXPECT_EQ(parse_slurm_time_limit("--time", "01:02:03"), 3723);
  EXPECT_EQ(parse_slurm_time_limit("--time", "2-03"), 2 * 86400 + 3 * 3600);
  EXPECT_EQ(parse_slurm_time_limit("--time", "2-03:04"), 2 * 86400 + 3 * 3600 + 4 * 60);
  EXPECT_EQ(parse_slurm_time_limit("--time", "1-00:00:01"), 86401);
  for (const char* bad : {"", "0", "00:00:00", "1:61:00", "1-24:00:00", "abc", "1h",
                          "01:00:00\n#SBATCH --x", "-1", "1:2:3:4"})
    EXPECT_THROW(parse_slurm_time_limit("--time", bad), std::invalid_argument) << bad;
}

TEST(SlurmValues, CountsWithinBounds) {
  EXPECT_EQ(validate_count("--nodes", 3, 1, 10), 3);
  EXPECT_THROW(validate_count("--nodes", 0, 1, 10), std::invalid_argument);
  EXPECT_THROW(validate_count("--nodes", 11, 1, 10), std::invalid_argument);
}

}  // namespace
}  // namespace riskstep

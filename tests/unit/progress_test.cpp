#include "pipeline/run/progress.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace riskstep {
namespace {

TEST(Progress, LineShowsCountsElapsedAndEta) {
  EXPECT_EQ(ProgressLine::format(10, 40, 1, 63.0),
            "sweep: 10/40 tasks done, 1 failed, elapsed 1m03s, ETA 3m09s");
  EXPECT_EQ(ProgressLine::format(0, 40, 0, 2.0), "sweep: 0/40 tasks done, 0 failed, elapsed 2s");
  EXPECT_EQ(ProgressLine::format(40, 40, 0, 7300.0),
            "sweep: 40/40 tasks done, 0 failed, elapsed 2h01m");
  EXPECT_EQ(format_duration(-1), "?");
}

TEST(Progress, PlainStreamGetsWholeLinesAtTheIntervalWhenAsked) {
  char* text = nullptr;
  size_t size = 0;
  std::FILE* stream = open_memstream(&text, &size);
  {
    ProgressLine progress(stream, 5, true, 3600.0);  // not a terminal, asked for: plain lines
    progress.update(1, 0);                           // within the interval: nothing
    progress.running("mdn2 sp500 2008 x5");
    progress.update(2, 1, true);
    progress.finish(5, 1);
    ProgressLine silent(stream, 5);  // not a terminal, not asked for: nothing at all
    silent.finish(5, 0);
  }
  std::fclose(stream);
  const std::string written(text, size);
  std::free(text);
  EXPECT_EQ(written.find('\r'), std::string::npos);
  EXPECT_EQ(written.find("1/5"), std::string::npos);
  EXPECT_NE(written.find(
                "sweep: 2/5 tasks done, 1 failed, elapsed 0s, ETA 0s; running mdn2 sp500 2008 x5"),
            std::string::npos)
      << written;
  EXPECT_NE(written.find("sweep: 5/5 tasks done, 1 failed, elapsed 0s\n"), std::string::npos)
      << written;  // the last line: nothing runs any more
  EXPECT_EQ(written.find("5/5 tasks done, 0 failed"), std::string::npos) << written;
}

}  // namespace
}  // namespace riskstep

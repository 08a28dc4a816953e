#include "pipeline/core/printable.h"

#include <gtest/gtest.h>

namespace riskstep {
namespace {

TEST(Printable, EscapesControlBytesAndBrokenUtf8) {
  EXPECT_EQ(printable("plain text"), "plain text");
  EXPECT_EQ(printable("a\rb\nc\td\x01"), "a\\rb\\nc\\td\\x01");
  EXPECT_EQ(printable("caf\xC3\xA9 \xE2\x82\xAC"), "caf\xC3\xA9 \xE2\x82\xAC");  // UTF-8 kept
  EXPECT_EQ(printable("\xC3("), "\\xC3(");         // a lead byte without its continuation
  EXPECT_EQ(printable("\xFF\x7F"), "\\xFF\\x7F");  // never UTF-8; DEL
}

TEST(Printable, CutsLongTextAndSaysHowMuch) {
  const std::string huge(10'000'000, 'x');
  const std::string shown = printable(huge, 100);
  EXPECT_EQ(shown, std::string(100, 'x') + "... (9999900 more bytes)");
  EXPECT_LT(printable(huge).size(), kMessageLimit + 40);
}

}  // namespace
}  // namespace riskstep

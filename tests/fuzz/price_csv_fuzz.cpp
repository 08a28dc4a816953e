// libFuzzer target: the price-CSV reader on arbitrary bytes. It must either return a series that
// keeps its promises (strictly ascending ISO dates, finite positive prices) or throw one
// std::runtime_error naming "file:line"; anything else (another exception, a crash, a sanitizer
// report) is a bug.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "data/market/price_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* column : {"", "Adj Close"}) {
    riskstep::PriceCsvOptions options;
    options.column = column;
    try {
      const riskstep::PriceSeries series = riskstep::parse_price_csv(text, "fuzz.csv", options);
      if (series.dates.empty() || series.dates.size() != series.prices.size()) __builtin_trap();
      for (size_t i = 0; i < series.prices.size(); ++i) {
        if (!(series.prices[i] > 0.0) || !std::isfinite(series.prices[i])) __builtin_trap();
        if (series.dates[i].size() != 10) __builtin_trap();
        if (i > 0 && !(series.dates[i - 1] < series.dates[i])) __builtin_trap();
      }
    } catch (const std::runtime_error& error) {
      if (std::string(error.what()).rfind("fuzz.csv:", 0) != 0) __builtin_trap();
    }
  }
  return 0;
}

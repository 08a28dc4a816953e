#include "jobs/backtest_var/market_data.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>
#include <regex>
#include <stdexcept>

#include "data/market/price_csv.h"
#include "data/market/synthetic_market.h"
#include "pipeline/core/sha256.h"

namespace riskstep {
namespace {

MarketData load_uncached(const std::string& data, const std::string& index,
                         const std::string& price_column) {
  MarketData market;
  if (data == "synthetic") {
    const SyntheticMarketParams params;
    const uint64_t seed = std::stoull(sha256_hex("synthetic:" + index).substr(0, 15), nullptr, 16);
    const SyntheticMarket synthetic = generate_synthetic_market(params, seed);
    market.source = "synthetic:" + index;
    market.price_dates = synthetic.dates;
    market.prices = synthetic.prices;
  } else {
    PriceCsvOptions options;
    options.column = price_column;
    PriceSeries prices = read_price_csv(data, options);
    market.source = data;
    market.price_dates = std::move(prices.dates);
    market.prices = std::move(prices.prices);
  }
  market.returns = simple_returns(market.price_dates, market.prices);
  return market;
}

}  // namespace

void check_index_name(const std::string& index) {
  static const std::regex plain_name("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  if (!std::regex_match(index, plain_name))
    throw std::invalid_argument(
        "setting 'index': expected a name of letters, digits, '.', '_' "
        "or '-' (it names <data_dir>/<index>.csv), got '" +
        index + "'");
}

MarketData load_market_data(const BacktestSettings& settings) {
  const std::string& index = settings.index;
  if (index.empty()) throw std::invalid_argument("setting 'index' is required");
  check_index_name(index);
  std::string data = settings.data;
  if (data.empty()) {
    if (settings.data_dir.empty())
      throw std::invalid_argument("needs setting 'data' (a price CSV or \"synthetic\") or " +
                                  std::string("'data_dir' (holding <index>.csv)"));
    data = settings.data_dir + "/" + index + ".csv";
  }
  const std::string& price_column = settings.price_column;

  static std::mutex cache_mutex;
  static std::map<std::string, MarketData> cache;
  const std::string key = data + "\n" + index + "\n" + price_column;
  std::lock_guard<std::mutex> lock(cache_mutex);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, load_uncached(data, index, price_column)).first;
  return it->second;
}

std::string prices_sha256(const MarketData& market, const std::string& last_date) {
  const auto end =
      std::upper_bound(market.price_dates.begin(), market.price_dates.end(), last_date) -
      market.price_dates.begin();
  std::string text;
  char number[32];
  for (std::ptrdiff_t row = 0; row < end; ++row) {
    const auto written = std::to_chars(number, number + sizeof number, market.prices[row]);
    text += market.price_dates[row] + "," + std::string(number, written.ptr) + "\n";
  }
  return sha256_hex(text);
}

}  // namespace riskstep

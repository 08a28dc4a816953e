#include "jobs/backtest_var/market_data.h"

#include <map>
#include <mutex>
#include <stdexcept>

#include "models/market/price_csv.h"
#include "models/var/synthetic_market.h"
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
    market.input_sha256 = sha256_hex(market.source + ":" + std::to_string(seed));
    market.returns = simple_returns(synthetic.dates, synthetic.prices);
    return market;
  }
  PriceCsvOptions options;
  options.column = price_column;
  const PriceSeries prices = read_price_csv(data, options);
  market.source = data;
  market.input_sha256 = sha256_file_hex(data);
  market.returns = simple_returns(prices.dates, prices.prices);
  return market;
}

}  // namespace

MarketData load_market_data(const BacktestSettings& settings) {
  const std::string& index = settings.index;
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

}  // namespace riskstep

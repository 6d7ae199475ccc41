// Writes N CloudEvents lines of the runtime benchmark's OrderPlaced events,
// deterministic for a seed: flat ones of about 300 bytes (orders_bench.flow),
// or with --nested the orders of orders_nested_bench.flow (two addresses,
// ten line items with decimal prices that add up to the decimal total,
// about 1.3 KB each).
//   gen_orders [--nested] N [SEED] > orders.jsonl
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

namespace {

const char* kCountries[] = {"NL", "BE", "LU", "DE", "FR", "US", "GB", "ES"};
const char* kCities[] = {"Amsterdam", "Brussels", "Luxembourg", "Berlin", "Paris", "Boston", "Leeds", "Madrid"};
const char* kChannels[] = {"Web", "Store", "Phone", "Partner"};

/// Cents as a decimal literal: 12345 -> "123.45".
std::string money(long long cents) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%02lld", cents / 100, cents % 100);
  return text;
}

std::string address(int country, uint64_t r) {
  char text[160];
  std::snprintf(
      text, sizeof text, "{\"street\":\"Street %d\",\"city\":\"%s\",\"postcode\":\"%04d\",\"country\":\"%s\"}",
      static_cast<int>(r % 300) + 1, kCities[country], static_cast<int>(r % 9000) + 1000, kCountries[country]);
  return text;
}

/// The nested orders: every quantifier rule of orders_nested_bench.flow is
/// false, so each is evaluated for every event (`or` stops at a true one).
int nested(long long n, std::mt19937_64& rng) {
  static const long long kScales[] = {1, 10, 100, 1000};  // totals about 60, 600, 6,000, 60,000
  std::string line;
  line.reserve(2048);
  for (long long i = 0; i < n; ++i) {
    uint64_t r = rng();
    int c = static_cast<int>(r % 8);
    long long scale = kScales[(r >> 8) % 4];
    std::string items;
    long long total = 0;
    for (int k = 0; k < 10; ++k) {
      uint64_t q = rng();
      long long qty = static_cast<long long>(q % 9) + 1;
      long long cents = (50 + static_cast<long long>((q >> 8) % 150)) * scale;
      total += qty * cents;
      char item[200];
      std::snprintf(item, sizeof item,
                    "%s{\"sku\":\"SKU-%05d\",\"qty\":%lld,\"price\":%s,\"weight\":%.2f,\"tags\":[\"t%d\"]}",
                    k ? "," : "", static_cast<int>((q >> 20) % 100000), qty, money(cents).c_str(),
                    static_cast<double>((q >> 40) % 500) / 100.0, static_cast<int>((q >> 50) % 5));
      items += item;
    }
    char head[256];
    std::snprintf(head, sizeof head,
                  "{\"specversion\":\"1.0\",\"type\":\"OrderPlaced\",\"id\":\"o-%lld\",\"source\":\"bench\",\"data\":{"
                  "\"order_id\":\"%lld\",\"customer\":\"Customer %llu\",\"email\":\"c%llu@example.com\",",
                  i, i, static_cast<unsigned long long>((r >> 20) % 100000),
                  static_cast<unsigned long long>((r >> 20) % 100000));
    line = head;
    line += "\"ship_to\":" + address(c, r >> 12);
    if ((r >> 46) % 2 == 0) line += ",\"bill_to\":" + address((c + 1) % 8, r >> 24);
    line += ",\"items\":[" + items + "],\"total\":" + money(total);
    char tail[160];
    std::snprintf(tail, sizeof tail, ",\"channel\":\"%s\",%s\"placed_at\":\"2026-11-%02dT%02d:%02d:00Z\"}}\n",
                  kChannels[(r >> 44) % 4], (r >> 47) % 3 == 0 ? "\"coupon\":\"SAVE10\"," : "",
                  static_cast<int>((r >> 50) % 28) + 1, static_cast<int>((r >> 55) % 24),
                  static_cast<int>((r >> 58) % 60));
    line += tail;
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool is_nested = argc > 1 && std::string(argv[1]) == "--nested";
  if (is_nested) {
    --argc;
    ++argv;
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_orders [--nested] N [SEED]\n");
    return 2;
  }
  long long n = std::atoll(argv[1]);
  std::mt19937_64 rng(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 42);
  if (is_nested) return nested(n, rng);
  static const double kAmounts[] = {42.5, 250.0, 1800.0, 12500.0};
  std::string line;
  line.reserve(512);
  char buffer[512];
  for (long long i = 0; i < n; ++i) {
    uint64_t r = rng();
    int c = static_cast<int>(r % 8);
    double amount = kAmounts[(r >> 8) % 4] + static_cast<double>((r >> 16) % 1000) / 100.0;
    int written = std::snprintf(
        buffer, sizeof buffer,
        "{\"specversion\":\"1.0\",\"type\":\"OrderPlaced\",\"id\":\"o-%lld\",\"source\":\"bench\",\"data\":{"
        "\"order_id\":\"%lld\",\"customer\":\"Customer %llu\",\"email\":\"c%llu@example.com\",\"country\":\"%s\","
        "\"city\":\"%s\",\"amount\":%.2f,\"items\":%d,\"channel\":\"%s\",%s\"tags\":[\"t%d\"],"
        "\"placed_at\":\"2026-11-%02dT%02d:%02d:00Z\"}}\n",
        i, i, static_cast<unsigned long long>((r >> 20) % 100000), static_cast<unsigned long long>((r >> 20) % 100000),
        kCountries[c], kCities[c], amount, static_cast<int>((r >> 40) % 9) + 1, kChannels[(r >> 44) % 4],
        (r >> 46) % 3 == 0 ? "\"coupon\":\"SAVE10\"," : "", static_cast<int>((r >> 48) % 5),
        static_cast<int>((r >> 50) % 28) + 1, static_cast<int>((r >> 55) % 24), static_cast<int>((r >> 58) % 60));
    std::fwrite(buffer, 1, static_cast<size_t>(written), stdout);
  }
  return 0;
}

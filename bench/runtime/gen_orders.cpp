// Writes N CloudEvents lines of the runtime benchmark's OrderPlaced events
// (about 300 bytes each), deterministic for a seed.
//   gen_orders N [SEED] > orders.jsonl
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_orders N [SEED]\n");
    return 2;
  }
  long long n = std::atoll(argv[1]);
  std::mt19937_64 rng(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 42);
  static const char* kCountries[] = {"NL", "BE", "LU", "DE", "FR", "US", "GB", "ES"};
  static const char* kCities[] = {"Amsterdam", "Brussels", "Luxembourg", "Berlin", "Paris", "Boston", "Leeds", "Madrid"};
  static const char* kChannels[] = {"Web", "Store", "Phone", "Partner"};
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

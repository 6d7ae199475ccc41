// Hand-written equivalents of the benchmark predicates (see the header).
// Written the way a C++ programmer would over this layout: direct loads at
// constant offsets, std::string_view comparisons, early returns.
#include "native_predicates.h"

#include <array>
#include <cstring>
#include <string_view>

#include "rt_abi/flow_rt.h"

namespace flow::bench {

namespace {

// Offsets of the Order event's fields (event-layout.md: by decreasing
// alignment, declaration order within one alignment; bitmap after them).
struct Offset {
  const char* name;
  uint32_t offset;
};
constexpr uint32_t kOrderId = 0, kCountry = 32, kBillingCountry = 48, kCurrency = 64, kEmail = 80, kPaymentMethod = 96,
                   kAmount = 128, kRiskScore = 136, kItems = 144, kPreviousOrders = 152, kCoupon = 160,
                   kLoyaltyPoints = 176, kDiscountPct = 184, kTags = 192, kQuantities = 208, kPlacedAt = 224,
                   kTier = 232, kChannel = 236, kExpress = 240, kGift = 241, kBitmap = 242;
constexpr int kCouponField = 16, kLoyaltyField = 17, kDiscountField = 18;
constexpr std::array<Offset, 20> kOffsets = {{
    {"order_id", kOrderId},
    {"country", kCountry},
    {"billing_country", kBillingCountry},
    {"currency", kCurrency},
    {"email", kEmail},
    {"payment_method", kPaymentMethod},
    {"amount", kAmount},
    {"risk_score", kRiskScore},
    {"items", kItems},
    {"previous_orders", kPreviousOrders},
    {"coupon", kCoupon},
    {"loyalty_points", kLoyaltyPoints},
    {"discount_pct", kDiscountPct},
    {"tags", kTags},
    {"quantities", kQuantities},
    {"placed_at", kPlacedAt},
    {"tier", kTier},
    {"channel", kChannel},
    {"express", kExpress},
    {"gift", kGift},
}};

template <typename T>
T load(const uint8_t* e, uint32_t offset) {
  T v;
  std::memcpy(&v, e + offset, sizeof v);
  return v;
}
std::string_view str(const uint8_t* e, uint32_t offset) {
  auto s = load<FlowStr>(e, offset);
  return {s.data, s.size};
}
bool present(const uint8_t* e, int field) {
  return (e[kBitmap + field / 8] >> (field % 8)) & 1;
}

bool high_value(const uint8_t* e) {
  return load<double>(e, kAmount) > 1000.0;
}
bool domestic(const uint8_t* e) {
  std::string_view c = str(e, kCountry);
  return c == "NL" || c == "BE" || c == "LU";
}
bool gold_or_better(const uint8_t* e) {
  int32_t tier = load<int32_t>(e, kTier);
  return tier == 2 || tier == 3;
}
bool country_mismatch(const uint8_t* e) {
  return str(e, kCountry) != str(e, kBillingCountry);
}
bool risky_payment(const uint8_t* e) {
  return load<double>(e, kRiskScore) > 0.8 && str(e, kPaymentMethod) == "card";
}
bool needs_review(const uint8_t* e) {
  return high_value(e) && !domestic(e);
}
int64_t hour_of(int64_t ts) {
  constexpr int64_t hour = int64_t{3600} * 1'000'000, day = 24 * hour;
  int64_t r = ts % day;
  if (r < 0) r += day;
  return r / hour;
}

#define PREDICATE(name, expression)              \
  int32_t name(const uint8_t* e, bool* result) { \
    *result = (expression);                      \
    return FLOW_RT_OK;                           \
  }

PREDICATE(HighValue, high_value(e))
PREDICATE(BulkOrder, load<int64_t>(e, kItems) >= 10)
PREDICATE(Domestic, domestic(e))
PREDICATE(WebOrder, load<int32_t>(e, kChannel) == 0)
PREDICATE(EuroOrder, str(e, kCurrency) == "EUR")
PREDICATE(CorporateEmail, str(e, kEmail).ends_with("@acme.example"))
PREDICATE(WebOrderId, str(e, kOrderId).starts_with("WEB-"))
PREDICATE(PromoCoupon, present(e, kCouponField) && str(e, kCoupon).starts_with("PROMO"))
PREDICATE(HasCoupon, present(e, kCouponField))
PREDICATE(GoldOrBetter, gold_or_better(e))
PREDICATE(LoyalCustomer, (present(e, kLoyaltyField) ? load<int64_t>(e, kLoyaltyPoints) : 0) > 500)
PREDICATE(BigDiscount, (present(e, kDiscountField) ? load<double>(e, kDiscountPct) : 0.0) >= 20.0)
PREDICATE(CountryMismatch, country_mismatch(e))
PREDICATE(RiskyPayment, risky_payment(e))
PREDICATE(ExpressGift, e[kExpress] && e[kGift])
PREDICATE(FirstOrder, load<int64_t>(e, kPreviousOrders) == 0)
PREDICATE(NeedsReview, needs_review(e))
PREDICATE(FraudSuspect, country_mismatch(e) && (risky_payment(e) || high_value(e)))

int32_t EuCountry(const uint8_t* e, bool* result) {
  std::string_view c = str(e, kCountry);
  *result = c == "AT" || c == "BE" || c == "BG" || c == "HR" || c == "CY" || c == "CZ" || c == "DK" || c == "EE" ||
            c == "FI" || c == "FR" || c == "DE" || c == "GR" || c == "HU" || c == "IE" || c == "IT" || c == "LV" ||
            c == "LT" || c == "LU" || c == "MT" || c == "NL" || c == "PL" || c == "PT" || c == "RO" || c == "SK" ||
            c == "SI" || c == "ES" || c == "SE";
  return FLOW_RT_OK;
}

int32_t VipTag(const uint8_t* e, bool* result) {
  auto tags = load<FlowList>(e, kTags);
  auto* items = static_cast<const FlowStr*>(tags.data);
  *result = false;
  for (uint64_t i = 0; i < tags.count; ++i) {
    if (std::string_view(items[i].data, items[i].size) == "vip") {
      *result = true;
      break;
    }
  }
  return FLOW_RT_OK;
}

int32_t PerItemOver(const uint8_t* e, bool* result) {
  double items = static_cast<double>(load<int64_t>(e, kItems));
  if (items == 0.0) return FLOW_RT_DIVISION_BY_ZERO;
  *result = load<double>(e, kAmount) / items > 100.0;
  return FLOW_RT_OK;
}

int32_t LargeFirstLine(const uint8_t* e, bool* result) {
  auto quantities = load<FlowList>(e, kQuantities);
  if (quantities.count == 0) {
    *result = false;
    return FLOW_RT_OK;
  }
  int64_t doubled = 0;
  if (__builtin_mul_overflow(static_cast<const int64_t*>(quantities.data)[0], int64_t{2}, &doubled)) {
    return FLOW_RT_OVERFLOW;
  }
  *result = doubled > 10;
  return FLOW_RT_OK;
}

int32_t NightOrder(const uint8_t* e, bool* result) {
  int64_t hour = hour_of(load<int64_t>(e, kPlacedAt));
  *result = hour >= 22 || hour < 6;
  return FLOW_RT_OK;
}

std::string_view risk(const uint8_t* e) {
  if (load<double>(e, kAmount) > 10000.0) return "high";
  if (needs_review(e)) return "medium";
  return "low";
}
PREDICATE(NotLowRisk, risk(e) != "low")

int shipping_class(const uint8_t* e) {
  if (e[kExpress]) return 1;
  if (load<double>(e, kAmount) > 500.0 && gold_or_better(e)) return 2;
  return 3;
}
PREDICATE(FastShipping, shipping_class(e) < 3)

}  // namespace

const std::vector<NativePredicate>& native_predicates() {
  static const std::vector<NativePredicate> all = {
      HighValue,       BulkOrder,    Domestic,    EuCountry,   WebOrder,     EuroOrder,     CorporateEmail,
      WebOrderId,      PromoCoupon,  HasCoupon,   VipTag,      GoldOrBetter, LoyalCustomer, BigDiscount,
      CountryMismatch, RiskyPayment, ExpressGift, FirstOrder,  NeedsReview,  FraudSuspect,  PerItemOver,
      LargeFirstLine,  NightOrder,   NotLowRisk,  FastShipping};
  return all;
}

std::string check_native_layout(const layout::EventLayout& layout) {
  std::string problems;
  for (const Offset& expected : kOffsets) {
    int field = layout.field_index(expected.name);
    if (field < 0 || layout.fields[static_cast<size_t>(field)].offset != expected.offset) {
      problems += std::string(expected.name) + " is not at " + std::to_string(expected.offset) + "\n";
    }
  }
  if (layout.bitmap_offset != kBitmap) problems += "the bitmap is not at " + std::to_string(kBitmap) + "\n";
  if (layout.field_index("coupon") != kCouponField || layout.field_index("loyalty_points") != kLoyaltyField ||
      layout.field_index("discount_pct") != kDiscountField) {
    problems += "optional field indexes differ\n";
  }
  return problems;
}

}  // namespace flow::bench

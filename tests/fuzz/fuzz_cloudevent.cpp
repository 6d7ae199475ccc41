// Fuzz target: the CloudEvents JSON decoder (runtime/ingress) on one input
// line, against a fixed program whose events have a field of every type
// (the ingress tests' shop program, so their lines are good seeds, and an
// order with records, lists of records, maps and decimals at depth). Every
// line goes through all three tiers of the decoder — the express scanner,
// the simdjson DOM fast path and the On-Demand reference path — as three
// decoders (all tiers; without express; reference alone), lenient and
// strict, which must agree: accept or reject alike, the same error text and
// kind, the same type, attributes and encoded instance. The same bytes are
// also decoded as a bare `data` object (decode_data) and in place in a
// larger buffer (decode_in_place); what is accepted must encode and decode
// back to the same text.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "../support/shop_source.h"
#include "check/program.h"
#include "eval/interpreter.h"
#include "fuzz_check.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"
#include "ingress/event_encoder.h"
#include "ingress/field_defaults.h"
#include "ir/lower.h"

namespace flow::fuzz {

namespace {

/// Nested data (language.md §4.1), beside the shop program.
constexpr const char* kNestedSource = R"(module shop.nested
record Address { street: string, city: string, zip: string? }
record LineItem { sku: string, qty: int, price: decimal, tags: list<string?> }
event NestedOrder {
  key id: string
  ship_to: Address
  bill_to: Address?
  items: list<LineItem>
  maybe: list<Address?>
  labels: map<string, string>
  stock: map<string, list<LineItem>>
  total: decimal
}
)";

using runtime::CloudEventDecoder;
using runtime::DecodedEvent;

/// The program and its catalog, built once.
struct Shop {
  DiagnosticEngine diags;
  std::unique_ptr<Program> program;
  ir::LowerResult lowered;
  std::unique_ptr<eval::Interpreter> interpreter;
  runtime::FieldDefaults defaults;
  std::unique_ptr<runtime::EventCatalog> catalog;

  Shop() {
    program =
        compile_sources({{"shop.flow", testing::kShopSource}, {"nested.flow", kNestedSource}}, CompileOptions{}, diags);
    FLOW_FUZZ_CHECK(program && program->ok, "the fuzz target's program does not check");
    lowered = ir::lower_program(*program);
    FLOW_FUZZ_CHECK(lowered.ok(), "the fuzz target's program does not lower");
    interpreter = std::make_unique<eval::Interpreter>(*lowered.module);
    auto events = program->event_infos();
    std::string error;
    FLOW_FUZZ_CHECK(runtime::evaluate_field_defaults(*lowered.module, *interpreter, events, defaults, error),
                    error.c_str());
    catalog = std::make_unique<runtime::EventCatalog>(events, lowered.module->layouts, defaults);
  }
};

const Shop& shop() {
  static const Shop* instance = new Shop();  // never destroyed: no exit-time ordering issues
  return *instance;
}

CloudEventDecoder::Options tier(bool strict, bool fast, bool express) {
  CloudEventDecoder::Options options;
  options.strict = strict;
  options.fast_path = fast;
  options.express_path = express;
  return options;
}

/// A decoded event as text: attributes and the encoded instance.
std::string describe(const DecodedEvent& e) {
  auto text = [](const std::optional<std::string_view>& s) { return s ? "\"" + std::string(*s) + "\"" : "none"; };
  std::string out = "id " + text(e.id) + ", source " + text(e.source) + ", subject " + text(e.subject) + ", time " +
                    (e.time ? std::to_string(*e.time) : "none") + ": ";
  runtime::append_data_json(out, *e.type, e.instance);
  return out;
}

std::string encode_line(const DecodedEvent& e) {
  std::string out;
  runtime::append_cloudevent_json(out, *e.type, e.instance,
                                  {e.id.value_or("none"), e.source.value_or("none"), e.time, e.subject});
  return out;
}

/// The three tiers of the decoder side by side (tests/ingress/ingress_fixture.h
/// `Tiers` does the same with Catch2).
class Tiers {
 public:
  explicit Tiers(bool strict)
      : full_(*shop().catalog, tier(strict, true, true)),
        dom_(*shop().catalog, tier(strict, true, false)),
        reference_(*shop().catalog, tier(strict, false, false)) {}

  /// Decodes `line` (or, with `type`, the data object `line`) with all three
  /// and checks that they agree.
  void check(std::string_view line, const runtime::EventType* type = nullptr) {
    if (arena_.used() > (1u << 20)) arena_.reset();
    const size_t express_before = full_.express_accepted();
    const size_t dom_tier_before = dom_.dom_accepted();
    DecodedEvent full, dom, reference;
    const bool ok_full = type ? full_.decode_data(*type, line, arena_, full) : full_.decode(line, arena_, full);
    const bool ok_dom = type ? dom_.decode_data(*type, line, arena_, dom) : dom_.decode(line, arena_, dom);
    const bool ok_reference =
        type ? reference_.decode_data(*type, line, arena_, reference) : reference_.decode(line, arena_, reference);
    const bool by_express = full_.express_accepted() > express_before;
    FLOW_FUZZ_CHECK(ok_full == ok_reference, "the full decoder and the reference path disagree on acceptance");
    FLOW_FUZZ_CHECK(ok_dom == ok_reference, "the DOM tier and the reference path disagree on acceptance");
    if (!ok_reference) {
      FLOW_FUZZ_CHECK(!by_express, "the express tier counted a line that was rejected");
      FLOW_FUZZ_CHECK(full_.error() == reference_.error(), (full_.error() + " | " + reference_.error()).c_str());
      FLOW_FUZZ_CHECK(dom_.error() == reference_.error(), (dom_.error() + " | " + reference_.error()).c_str());
      FLOW_FUZZ_CHECK(full_.error_kind() == reference_.error_kind(), "error kinds differ (full, reference)");
      FLOW_FUZZ_CHECK(dom_.error_kind() == reference_.error_kind(), "error kinds differ (DOM, reference)");
      FLOW_FUZZ_CHECK(!reference_.error().empty(), "a rejection without a reason");
      FLOW_FUZZ_CHECK(reference_.error().find('\n') == std::string::npos, "a reason of more than one line");
      return;
    }
    FLOW_FUZZ_CHECK(full.type == reference.type && dom.type == reference.type, "the tiers decoded different types");
    const std::string expected = describe(reference);
    FLOW_FUZZ_CHECK(describe(full) == expected,
                    ("full decoder vs reference: " + describe(full) + " | " + expected).c_str());
    FLOW_FUZZ_CHECK(describe(dom) == expected, ("DOM tier vs reference: " + describe(dom) + " | " + expected).c_str());
    if (by_express) {
      // (but for decimal numbers, whose text the DOM does not keep)
      FLOW_FUZZ_CHECK(dom_.dom_accepted() > dom_tier_before || full.type->has_decimal,
                      "the express tier accepted what the DOM tier did not");
    }
    FLOW_FUZZ_CHECK((full.verbatim != nullptr) == by_express, "verbatim values without the express tier");
    if (full.verbatim) {
      runtime::JsonBuffer given, encoded;
      runtime::append_data_json(given, *full.type, full.instance, full.verbatim);
      runtime::append_data_json(encoded, *reference.type, reference.instance);
      FLOW_FUZZ_CHECK(given.view() == encoded.view(), "the express tier's verbatim text is not the encoder's");
    }
    if (!type) check_round_trip(reference);
  }

  /// The full decoder reading `line` in place, followed in memory by `after`
  /// (a buffer of exactly that size, so any read beyond it is reported),
  /// must decide as it does on a copy.
  void check_in_place(std::string_view line, std::string_view after) {
    if (arena_.used() > (1u << 20)) arena_.reset();
    DecodedEvent copied, in_place;
    const bool ok_copied = full_.decode(line, arena_, copied);
    const std::string copied_text = ok_copied ? describe(copied) : full_.error();
    const size_t size = line.size() + after.size();
    auto buffer = std::make_unique<char[]>(size);
    if (!line.empty()) std::memcpy(buffer.get(), line.data(), line.size());
    std::memcpy(buffer.get() + line.size(), after.data(), after.size());
    const bool ok_in_place = full_.decode_in_place({buffer.get(), line.size()}, after.size(), arena_, in_place);
    FLOW_FUZZ_CHECK(ok_copied == ok_in_place, "decoding in place and on a copy disagree on acceptance");
    const std::string in_place_text = ok_in_place ? describe(in_place) : full_.error();
    FLOW_FUZZ_CHECK(copied_text == in_place_text, (copied_text + " | " + in_place_text).c_str());
  }

 private:
  /// Whatever was accepted is a well-formed instance: it encodes, and the
  /// encoding decodes to the same encoding.
  void check_round_trip(const DecodedEvent& event) {
    const std::string once = encode_line(event);
    DecodedEvent again;
    FLOW_FUZZ_CHECK(reference_.decode(once, arena_, again), ("the encoding does not decode: " + once).c_str());
    FLOW_FUZZ_CHECK(encode_line(again) == once, ("the encoding does not round-trip: " + once).c_str());
  }

  CloudEventDecoder full_, dom_, reference_;
  Arena arena_;
};

}  // namespace

void cloudevent_one_input(std::string_view line) {
  static Tiers* lenient = new Tiers(false);
  static Tiers* strict = new Tiers(true);
  lenient->check(line);
  strict->check(line);
  // The same bytes as the data object of a known type (an exec service's emit).
  lenient->check(line, shop().catalog->find("Everything"));
  lenient->check(line, shop().catalog->find("OrderPlaced"));
  lenient->check(line, shop().catalog->find("NestedOrder"));
  // In place, followed by the start of the line again (as in a read buffer
  // of several lines), padded to the decoder's minimum.
  std::string after(line.substr(0, CloudEventDecoder::kPadding));
  after.resize(CloudEventDecoder::kPadding, '}');
  lenient->check_in_place(line, after);
}

}  // namespace flow::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  flow::fuzz::cloudevent_one_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

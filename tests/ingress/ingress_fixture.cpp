// Implementation of the ingress test helpers.
#include "ingress_fixture.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "eval/value_io.h"
#include "layout/event_builder.h"

namespace flow::testing {

const runtime::EventType& IngressProgram::type(const std::string& name) const {
  const runtime::EventType* t = catalog->find(name);
  if (!t) throw std::runtime_error("no event type " + name);
  return *t;
}

std::unique_ptr<IngressProgram> compile_program(const std::vector<std::pair<std::string, std::string>>& sources,
                                                const std::vector<RecordDefault>& record_defaults) {
  auto p = std::make_unique<IngressProgram>();
  p->program = compile_sources(sources, CompileOptions{}, p->diags);
  REQUIRE(p->program);
  std::string messages;
  for (const auto& d : p->diags.diagnostics()) messages += d.message + "\n";
  INFO(messages);
  REQUIRE(p->program->ok);
  p->lowered = ir::lower_program(*p->program);
  REQUIRE(p->lowered.ok());
  p->interpreter = std::make_unique<eval::Interpreter>(*p->lowered.module);
  auto events = p->program->event_infos();
  for (const RecordDefault& d : record_defaults) {
    RecordInfo* record = nullptr;
    for (auto* decl : p->program->all<ast::RecordDecl>()) {
      if (decl->name == d.record) record = const_cast<RecordInfo*>(&decl->info);
    }
    REQUIRE(record);
    const int field = record->field_index(d.field);
    REQUIRE(field >= 0);
    record->fields[static_cast<size_t>(field)].has_default = true;
    p->defaults.set(record, field, d.value);
  }
  std::string error;
  REQUIRE(runtime::evaluate_field_defaults(*p->lowered.module, *p->interpreter, events, p->defaults, error));
  p->catalog = std::make_unique<runtime::EventCatalog>(events, p->lowered.module->layouts, p->defaults);
  return p;
}

const IngressProgram& shop() {
  static std::unique_ptr<IngressProgram> program = compile_program({{"shop.flow", kShopSource}});
  return *program;
}

eval::Value DecodeResult::field(const std::string& name) const {
  REQUIRE(ok);
  int index = event.type->field_names.find(name);
  REQUIRE(index >= 0);
  return eval::read_field(*event.type->layout, event.instance, index);
}

bool DecodeResult::present(const std::string& name) const {
  REQUIRE(ok);
  int index = event.type->field_names.find(name);
  REQUIRE(index >= 0);
  return event.type->layout->present(event.instance, index);
}

namespace {

DecodeResult decode_once(const IngressProgram& program, const std::string& line, bool strict, bool fast_path) {
  DecodeResult r;
  r.arena = std::make_shared<Arena>();
  runtime::CloudEventDecoder decoder(*program.catalog, runtime::CloudEventDecoder::Options{strict, fast_path});
  r.ok = decoder.decode(line, *r.arena, r.event);
  if (!r.ok) {
    r.error = decoder.error();
    r.kind = decoder.error_kind();
  }
  return r;
}

}  // namespace

DecodeResult decode_with(const IngressProgram& program, const std::string& line, bool strict, bool fast_path) {
  DecodeResult r = decode_once(program, line, strict, fast_path);
  if (fast_path) {
    // Every test line doubles as a differential test of the tiers.
    Tiers tiers(program, strict);
    INFO("line: " << line);
    const Tiers::Outcome outcome = tiers.check(line);
    REQUIRE(r.ok == (outcome != Tiers::Outcome::Rejected));
    if (!r.ok) CHECK(r.error == tiers.error());
  }
  return r;
}

// ---- Comparing instances and tiers ------------------------------------------

namespace {

std::string_view text_of(const uint8_t* slot) {
  const auto s = layout::load<FlowStr>(slot);
  return std::string_view(s.data, s.size);
}

bool same_value(const runtime::TypeCodec& codec, const uint8_t* a, const uint8_t* b, std::string& why);

/// Two element slots of a list or map (`container`'s elements).
bool same_element(const runtime::TypeCodec& container, const uint8_t* p, const uint8_t* q, std::string& why) {
  if (container.element_optional) {
    // The box: presence byte, padding, value; all of it must match.
    if (std::memcmp(p, q, container.element_value_offset) != 0) {
      why = "presence";
      return false;
    }
    if (!p[0]) return true;
    p += container.element_value_offset;
    q += container.element_value_offset;
  }
  return same_value(*container.element, p, q, why);
}

bool same_list(const runtime::TypeCodec& codec, const uint8_t* a, const uint8_t* b, std::string& why) {
  const auto x = layout::load<FlowList>(a), y = layout::load<FlowList>(b);
  if (x.count != y.count) {
    why = "list lengths " + std::to_string(x.count) + " and " + std::to_string(y.count);
    return false;
  }
  for (uint64_t i = 0; i < x.count; ++i) {
    const auto* p = static_cast<const uint8_t*>(x.data) + i * codec.element_size;
    const auto* q = static_cast<const uint8_t*>(y.data) + i * codec.element_size;
    if (!same_element(codec, p, q, why)) {
      why = "element " + std::to_string(i) + ": " + why;
      return false;
    }
  }
  return true;
}

bool same_fields(const runtime::StructCodec& type, const uint8_t* a, const uint8_t* b, std::string& why) {
  const layout::StructLayout& layout = *type.layout;
  if (std::memcmp(a + layout.bitmap_offset, b + layout.bitmap_offset, layout.bitmap_bytes) != 0) {
    why = "presence bitmaps differ";
    return false;
  }
  for (const runtime::FieldCodec& f : type.fields) {
    if (f.optional && !layout.present(a, f.index)) {
      // Absent: the slot stays zeroed.
      if (std::any_of(a + f.offset, a + f.offset + f.size, [](uint8_t x) { return x != 0; }) ||
          std::any_of(b + f.offset, b + f.offset + f.size, [](uint8_t x) { return x != 0; })) {
        why = "field '" + f.name + "': an absent slot is not zero";
        return false;
      }
      continue;
    }
    if (!same_value(*f.value, a + f.offset, b + f.offset, why)) {
      why = "field '" + f.name + "': " + why;
      return false;
    }
  }
  return true;
}

bool same_map(const runtime::TypeCodec& codec, const uint8_t* a, const uint8_t* b, std::string& why) {
  const auto x = layout::load<FlowMap>(a), y = layout::load<FlowMap>(b);
  if (x.count != y.count) {
    why = "map sizes " + std::to_string(x.count) + " and " + std::to_string(y.count);
    return false;
  }
  for (uint64_t i = 0; i < x.count; ++i) {
    const auto* p = static_cast<const uint8_t*>(x.entries) + i * codec.entry_size;
    const auto* q = static_cast<const uint8_t*>(y.entries) + i * codec.entry_size;
    if (text_of(p) != text_of(q)) {
      why = "entry " + std::to_string(i) + ": keys \"" + std::string(text_of(p)) + "\" and \"" +
            std::string(text_of(q)) + "\"";
      return false;
    }
    if (i > 0 && !(text_of(p - codec.entry_size) < text_of(p))) {
      why = "entry " + std::to_string(i) + ": keys out of order";
      return false;
    }
    if (!same_element(codec, p + codec.entry_value_offset, q + codec.entry_value_offset, why)) {
      why = "entry \"" + std::string(text_of(p)) + "\": " + why;
      return false;
    }
  }
  return true;
}

bool same_value(const runtime::TypeCodec& codec, const uint8_t* a, const uint8_t* b, std::string& why) {
  switch (codec.kind) {
    case TypeKind::String:
      if (text_of(a) == text_of(b)) return true;
      why = "\"" + std::string(text_of(a)) + "\" and \"" + std::string(text_of(b)) + "\"";
      return false;
    case TypeKind::List: return same_list(codec, a, b, why);
    case TypeKind::Map: return same_map(codec, a, b, why);
    case TypeKind::Record: return same_fields(*codec.record, a, b, why);
    case TypeKind::Decimal:  // by its bits: 12.50 is not 12.5
      return std::memcmp(a, b, sizeof(FlowDecimal)) == 0 || (why = "decimals differ", false);
    case TypeKind::Bool: return *a == *b || (why = "bools differ", false);
    case TypeKind::Enum: return std::memcmp(a, b, 4) == 0 || (why = "enum members differ", false);
    default:  // int, float (by its bits: -0.0 is not 0.0), timestamp, duration
      if (std::memcmp(a, b, 8) == 0) return true;
      why = "bits " + std::to_string(layout::load<int64_t>(a)) + " and " + std::to_string(layout::load<int64_t>(b));
      return false;
  }
}

std::string describe(const runtime::DecodedEvent& e) {
  auto text = [](const std::optional<std::string_view>& s) { return s ? "\"" + std::string(*s) + "\"" : "none"; };
  return "id " + text(e.id) + ", source " + text(e.source) + ", subject " + text(e.subject) + ", time " +
         (e.time ? std::to_string(*e.time) : "none");
}

/// Both accepted the same event: type, attributes, instance.
void check_same_event(const runtime::DecodedEvent& a, const runtime::DecodedEvent& b, const char* what) {
  INFO(what);
  REQUIRE(a.type);
  REQUIRE(a.type == b.type);
  REQUIRE(a.instance);
  REQUIRE(b.instance);
  CHECK(describe(a) == describe(b));
  std::string why;
  const bool same = same_instance(*a.type, a.instance, b.instance, why);
  INFO(why);
  CHECK(same);
}

runtime::CloudEventDecoder::Options tier_options(bool strict, bool fast, bool express) {
  runtime::CloudEventDecoder::Options options;
  options.strict = strict;
  options.fast_path = fast;
  options.express_path = express;
  return options;
}

}  // namespace

bool same_instance(const runtime::EventType& type, const uint8_t* a, const uint8_t* b, std::string& why) {
  return same_fields(type, a, b, why);
}

Tiers::Tiers(const IngressProgram& program, bool strict)
    : full_(*program.catalog, tier_options(strict, true, true)),
      dom_(*program.catalog, tier_options(strict, true, false)),
      reference_(*program.catalog, tier_options(strict, false, false)) {}

Tiers::Outcome Tiers::tally(Outcome outcome) {
  switch (outcome) {
    case Outcome::Rejected: ++rejected; break;
    case Outcome::Express: ++express; break;
    case Outcome::Dom: ++dom; break;
    case Outcome::Reference: ++reference; break;
  }
  return outcome;
}

Tiers::Outcome Tiers::compare(bool ok_full, bool ok_dom, bool ok_reference, size_t express_before, size_t dom_before,
                              size_t dom_tier_before) {
  const bool by_express = full_.express_accepted() > express_before;
  const bool by_dom = full_.dom_accepted() > dom_before;
  REQUIRE(ok_full == ok_reference);
  REQUIRE(ok_dom == ok_reference);
  if (!ok_full) {
    CHECK_FALSE(by_express);
    CHECK(full_.error() == reference_.error());
    CHECK(dom_.error() == reference_.error());
    CHECK(full_.error_kind() == reference_.error_kind());
    CHECK(dom_.error_kind() == reference_.error_kind());
    CHECK_FALSE(full_event_.type);  // nothing half-filled is handed out
    return tally(Outcome::Rejected);
  }
  check_same_event(full_event_, reference_event_, "full decoder vs reference path");
  check_same_event(dom_event_, reference_event_, "decoder without express vs reference path");
  if (by_express) {
    // The express tier accepts only what the DOM tier accepts, but for
    // decimals written as numbers, whose text the DOM does not keep (the
    // reference path, which reads them as the express tier does, agreed).
    INFO("the express tier accepted a line the DOM tier did not");
    CHECK((dom_.dom_accepted() > dom_tier_before || full_event_.type->has_decimal));
  }
  // The values' text it hands out is what the encoder writes for them.
  REQUIRE((full_event_.verbatim != nullptr) == by_express);
  CHECK(dom_event_.verbatim == nullptr);
  CHECK(reference_event_.verbatim == nullptr);
  if (full_event_.verbatim) {
    const runtime::EventType& type = *full_event_.type;
    for (const runtime::FieldCodec& f : type.fields) verbatim_fields += !full_event_.verbatim[f.index].empty();
    runtime::JsonBuffer given, encoded;
    runtime::append_data_json(given, type, full_event_.instance, full_event_.verbatim);
    runtime::append_data_json(encoded, type, reference_event_.instance);
    CHECK(given.view() == encoded.view());
  }
  return tally(by_express ? Outcome::Express : by_dom ? Outcome::Dom : Outcome::Reference);
}

Tiers::Outcome Tiers::check(const std::string& line) {
  INFO("line: " << line);
  if (arena_.used() > (1u << 20)) arena_.reset();  // (event() stays valid until the next check)
  const size_t express_before = full_.express_accepted(), dom_before = full_.dom_accepted();
  const size_t dom_tier_before = dom_.dom_accepted();
  const bool ok_full = full_.decode(line, arena_, full_event_);
  const bool ok_dom = dom_.decode(line, arena_, dom_event_);
  const bool ok_reference = reference_.decode(line, arena_, reference_event_);
  return compare(ok_full, ok_dom, ok_reference, express_before, dom_before, dom_tier_before);
}

Tiers::Outcome Tiers::check_data(const runtime::EventType& type, const std::string& json) {
  INFO("data: " << json);
  if (arena_.used() > (1u << 20)) arena_.reset();  // (event() stays valid until the next check)
  const size_t express_before = full_.express_accepted(), dom_before = full_.dom_accepted();
  const size_t dom_tier_before = dom_.dom_accepted();
  const bool ok_full = full_.decode_data(type, json, arena_, full_event_);
  const bool ok_dom = dom_.decode_data(type, json, arena_, dom_event_);
  const bool ok_reference = reference_.decode_data(type, json, arena_, reference_event_);
  return compare(ok_full, ok_dom, ok_reference, express_before, dom_before, dom_tier_before);
}

Tiers::Outcome Tiers::check_in_place(const std::string& line, const std::string& after) {
  if (arena_.used() > (1u << 20)) arena_.reset();  // (event() stays valid until the next check)
  INFO("line: " << line << "\nfollowed by: " << after);
  REQUIRE(after.size() >= runtime::CloudEventDecoder::kPadding);
  const size_t size = line.size() + after.size();
  auto buffer = std::make_unique<char[]>(size);  // exactly: the sanitizer flags any read past it
  std::memcpy(buffer.get(), line.data(), line.size());
  std::memcpy(buffer.get() + line.size(), after.data(), after.size());
  const size_t express_before = full_.express_accepted(), dom_before = full_.dom_accepted();
  const size_t dom_tier_before = dom_.dom_accepted();
  const std::string_view view(buffer.get(), line.size());
  const bool ok_full = full_.decode_in_place(view, after.size(), arena_, full_event_);
  const bool ok_dom = dom_.decode_in_place(view, after.size(), arena_, dom_event_);
  const bool ok_reference = reference_.decode_in_place(view, after.size(), arena_, reference_event_);
  return compare(ok_full, ok_dom, ok_reference, express_before, dom_before, dom_tier_before);
}

DecodeResult decode(const std::string& line, bool strict) {
  return decode_with(shop(), line, strict);
}

std::string reject(const std::string& line, bool strict) {
  DecodeResult r = decode(line, strict);
  INFO("line: " << line);
  REQUIRE_FALSE(r.ok);
  CHECK(r.error.find('\n') == std::string::npos);
  return r.error;
}

std::string object_of(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& extra,
                      const std::vector<std::string>& without) {
  std::string out = "{";
  for (const auto& [name, value] : fields) {
    if (std::find(without.begin(), without.end(), name) != without.end()) continue;
    if (out.size() > 1) out += ",";
    out += "\"" + name + "\":" + value;
  }
  if (!extra.empty()) out += (out.size() > 1 ? "," : "") + extra;
  return out + "}";
}

std::string line_of(const std::string& type, const std::string& data) {
  return R"({"type":")" + type + R"(","data":)" + data + "}";
}

std::string order_data(const std::string& extra, const std::vector<std::string>& without) {
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"order_id", R"("o-1")"},  {"customer", R"("c-7")"}, {"country", R"("NL")"},
      {"amount", "120.5"},       {"items", "3"},           {"channel", R"("Web")"},
      {"coupon", R"("SPRING")"}, {"tags", R"(["vip"])"},   {"placed_at", R"("2026-01-31T12:00:00Z")"},
  };
  return object_of(fields, extra, without);
}

std::string everything(const std::string& extra, const std::string& without) {
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"id", "1"},
      {"b", "true"},
      {"i", "-5"},
      {"f", "2.5"},
      {"s", R"("s")"},
      {"ts", R"("2026-01-31T12:00:00Z")"},
      {"d", R"("90s")"},
      {"c", R"("Phone")"},
      {"li", "[1,2,3]"},
      {"lf", "[1.5,2]"},
      {"ls", R"(["a",""])"},
      {"lb", "[true,false]"},
      {"lts", R"(["1970-01-01T00:00:00Z"])"},
      {"ld", R"(["1ms","2d"])"},
      {"lc", R"(["Web","Store"])"},
      {"loi", "[1,null,3]"},
      {"los", R"([null,"x"])"},
      {"lli", "[[1],[],[2,3]]"},
      {"llos", R"([["a",null],[]])"},
  };
  std::string out = "{";
  for (const auto& [name, value] : fields) {
    if (name == without) continue;
    if (out.size() > 1) out += ",";
    out += "\"" + name + "\":" + value;
  }
  if (!extra.empty()) out += "," + extra;
  return out + "}";
}

}  // namespace flow::testing

// The three decoder tiers agree on generated nested events (language.md
// §4.1): random programs of records (inside records, lists, optionals and
// maps, at several depths) and events holding them, and random lines for
// them, valid ones and ones with exactly one mistake planted at a random
// depth. Every line runs through the express, DOM and reference tiers
// (Tiers), which must accept or reject it alike, decode it to the same
// instance or give the same reason; the reason must name the planted
// mistake's path; and what is accepted encodes to text that decodes to the
// same instance and encodes to the same text again. Lines are also read in
// place, followed by bytes that would continue their last token.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "ingress_fixture.h"

using namespace flow;
using namespace flow::testing;

namespace {

using Outcome = Tiers::Outcome;

class NestedGenerator {
 public:
  explicit NestedGenerator(uint64_t seed) : rng_(seed) {}

  int below(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }

  // ---- Programs -------------------------------------------------------------

  /// A field type over the scalars and the records R0 .. R(records-1).
  std::string type(int records, int depth = 0) {
    static const char* scalars[] = {"bool", "int", "float", "string", "timestamp", "duration", "decimal", "Color"};
    const int roll = below(100);
    if (depth < 3 && roll < 15) {
      std::string element = type(records, depth + 1);
      if (element.back() != '?' && chance(30)) element += "?";
      return "list<" + element + ">";
    }
    if (depth < 3 && roll < 25) {
      std::string value = type(records, depth + 1);
      if (value.back() == '?') value.pop_back();  // map values are never optional
      return "map<string, " + value + ">";
    }
    if (records > 0 && roll < 55) return "R" + std::to_string(below(records));
    return scalars[below(8)];
  }

  /// A program of records and events; `defaults` gets some record defaults.
  std::string program(std::vector<RecordDefault>& defaults) {
    std::string source = "module gen\nenum Color { Red, Green, Blue }\n";
    const int records = 1 + below(4);
    for (int r = 0; r < records; ++r) {
      const std::string name = "R" + std::to_string(r);
      source += "record " + name + " {\n";
      const int fields = 1 + below(6);
      for (int f = 0; f < fields; ++f) {
        std::string t = type(r);
        if (t.back() != '?' && chance(25)) t += "?";
        const std::string field = "r" + std::to_string(f);
        source += "  " + field + ": " + t + "\n";
        if (t == "int" && chance(40)) defaults.push_back({name, field, eval::Value::integer(42)});
        if (t == "string" && chance(40)) defaults.push_back({name, field, eval::Value::string("dflt")});
        if (t.rfind("list<", 0) == 0 && chance(40)) defaults.push_back({name, field, eval::Value::list({})});
      }
      source += "}\n";
    }
    const int events = 1 + below(3);
    for (int e = 0; e < events; ++e) {
      source += "event E" + std::to_string(e) + " {\n  key id: string\n";
      const int fields = 1 + below(8);
      for (int f = 0; f < fields; ++f) {
        std::string t = type(records);
        if (t.back() != '?' && chance(20)) t += "?";
        source += "  f" + std::to_string(f) + ": " + t;
        if (t == "int" && chance(30)) source += " = 7";
        source += "\n";
      }
      source += "}\n";
    }
    return source;
  }

  // ---- Lines ----------------------------------------------------------------

  /// A mistake planted in a line, and the reason the decoder must give
  /// (`reason_start`, a prefix; "" when it cannot be known exactly).
  struct Plan {
    int chance_percent = 0;  // per value, until one is planted
    bool planted = false;
    bool strict = false;
    std::string reason_start;
  };

  std::string data(const runtime::EventType& type, Plan& plan) {
    std::string path;
    return fields(type, path, plan, /*top=*/true);
  }

 private:
  std::string space() { return chance(10) ? " " : ""; }

  std::string key_text() {
    static const char* keys[] = {"a", "b", "ab", "B", "x1", "", "é", "k k", "zz", "a0"};
    return keys[below(10)];
  }

  std::string string_text() {
    static const char* pieces[] = {"a", "Z", " ", "é", "中", "order-42", "\\\"", "\\n", "\\u0041", "{", "]", ":"};
    std::string out = "\"";
    const int n = below(6);
    for (int i = 0; i < n; ++i) out += pieces[below(chance(80) ? 6 : 12)];
    return out + "\"";
  }

  std::string decimal_text() {
    static const char* forms[] = {"12.50",
                                  "0",
                                  "-0",
                                  "1E+2",
                                  "1e-7",
                                  "0.0000001",
                                  "\"3.25\"",
                                  "7",
                                  "-42",
                                  "0.000001",
                                  "100.0",
                                  "\"-0.5\"",
                                  "123456789012345678901234567890.1234"};
    return forms[below(13)];
  }

  bool plant(Plan& plan) {
    if (plan.planted || !chance(plan.chance_percent)) return false;
    plan.planted = true;
    return true;
  }

  /// A JSON value of the wrong kind for `codec`.
  static std::string wrong_value(const runtime::TypeCodec& codec) {
    switch (codec.kind) {
      case TypeKind::Bool: return "1";
      case TypeKind::Int:
      case TypeKind::Float:
      case TypeKind::Decimal: return "false";
      case TypeKind::List: return "{}";
      case TypeKind::Map:
      case TypeKind::Record: return "[]";
      default: return "5";
    }
  }

  /// A value of `codec` at `path`; `nullable` when null is allowed there.
  std::string value(const runtime::TypeCodec& codec, const std::string& path, Plan& plan, bool nullable) {
    if (plant(plan)) {
      int what = below(codec.kind == TypeKind::Decimal ? 3 : 2);
      if (what == 1 && nullable) what = 0;
      if (what == 0) {
        plan.reason_start = "field '" + path + "': expected " + codec.name + ", found ";
        return wrong_value(codec);
      }
      if (what == 1) {
        plan.reason_start = "field '" + path + "': expected " + codec.name + ", found null (the ";
        return "null";
      }
      plan.reason_start =
          "field '" + path + "': expected decimal, found number 1.0000000000000000000000000000000000001";
      return "1.0000000000000000000000000000000000001";  // 38 digits
    }
    switch (codec.kind) {
      case TypeKind::Bool: return chance(50) ? "true" : "false";
      case TypeKind::Int: return std::to_string(static_cast<int64_t>(rng_()) >> below(64));
      case TypeKind::Float: {
        static const char* forms[] = {"1.5", "-0.0", "3", "1e3", "2.5E-3", "0.1", "-7"};
        return forms[below(7)];
      }
      case TypeKind::Decimal: return decimal_text();
      case TypeKind::String: return string_text();
      case TypeKind::Timestamp: {
        static const char* forms[] = {"\"2026-01-31T12:00:00Z\"", "\"2024-02-29T23:59:59.123456+01:00\"",
                                      "\"1970-01-01T00:00:00Z\""};
        return forms[below(3)];
      }
      case TypeKind::Duration: {
        static const char* forms[] = {"\"15m\"", "\"250ms\"", "\"-2h\"", "\"1.500ms\""};
        return forms[below(4)];
      }
      case TypeKind::Enum: return "\"" + codec.enumeration->names[static_cast<size_t>(below(3))] + "\"";
      case TypeKind::List: {
        std::string out = "[" + space();
        const int n = chance(20) ? 0 : below(4);
        for (int i = 0; i < n; ++i) {
          if (i) out += "," + space();
          out += element(codec, path + "[" + std::to_string(i) + "]", plan);
        }
        return out + space() + "]";
      }
      case TypeKind::Map: {
        std::set<std::string> used;
        std::vector<std::string> keys;
        const int n = chance(20) ? 0 : below(4);
        for (int i = 0; i < n; ++i) {
          std::string k = key_text();
          if (used.insert(k).second) keys.push_back(k);
        }
        std::string out = "{" + space();
        for (size_t i = 0; i < keys.size(); ++i) {
          if (i) out += ",";
          out += "\"" + keys[i] + "\":" + space() + element(codec, path + "[\"" + keys[i] + "\"]", plan);
        }
        if (!keys.empty() && plant(plan)) {  // a key again
          plan.reason_start = "field '" + path + "': duplicate key '" + keys[0] + "'";
          out += ",\"" + keys[0] + "\":" + element(codec, path + "[\"" + keys[0] + "\"]", plan);
        }
        return out + "}";
      }
      case TypeKind::Record: return fields(*codec.record, path, plan, false);
      default: FAIL("unexpected type " << codec.name); return "";
    }
  }

  std::string element(const runtime::TypeCodec& container, const std::string& path, Plan& plan) {
    if (container.element_optional && chance(25)) return "null";
    return value(*container.element, path, plan, container.element_optional);
  }

  /// The object of an event's or record's fields (`path`: the record's).
  std::string fields(const runtime::StructCodec& type, const std::string& path, Plan& plan, bool top) {
    const std::string prefix = path.empty() ? "" : path + ".";
    std::vector<size_t> order(type.fields.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (chance(20)) std::shuffle(order.begin(), order.end(), rng_);
    std::vector<std::string> members;
    for (size_t i : order) {
      const runtime::FieldCodec& f = type.fields[i];
      const std::string member = "\"" + f.name + "\":" + space();
      if (f.absent != runtime::Absent::Missing && chance(30)) continue;  // left out: none or default
      if (f.absent == runtime::Absent::Missing && !f.is_key && plant(plan)) {
        plan.reason_start = "missing field '" + prefix + f.name + "'";
        continue;
      }
      if (f.optional && chance(20)) {
        members.push_back(member + "null");
        continue;
      }
      members.push_back(member + (top && f.is_key ? "\"k-1\"" : value(*f.value, prefix + f.name, plan, f.optional)));
      if (plant(plan)) {
        plan.reason_start = "duplicate field '" + prefix + f.name + "'";
        members.push_back(member + (f.is_key ? "\"k-1\"" : value(*f.value, prefix + f.name, plan, f.optional)));
      }
    }
    // A field the type does not declare: ignored, or in strict mode the
    // line's one mistake.
    if (chance(10) && !(plan.strict && plan.planted)) {
      if (plan.strict) {
        plan.planted = true;
        plan.reason_start = "unknown field '" + prefix + "extra' (strict mode)";
      }
      members.insert(members.begin() + below(static_cast<int>(members.size()) + 1), "\"extra\":" + space() + "1");
    }
    std::string out = "{" + space();
    for (size_t i = 0; i < members.size(); ++i) out += (i ? "," + space() : "") + members[i];
    return out + space() + "}";
  }

  std::mt19937_64 rng_;
};

std::string encode_line(const runtime::DecodedEvent& event) {
  std::string out;
  runtime::append_cloudevent_json(out, *event.type, event.instance, {"e-1", "gen", 0, {}});
  return out;
}

}  // namespace

TEST_CASE("nested tiers: generated valid and invalid events", "[ingress][nested][tiers]") {
  NestedGenerator gen(17);
  size_t valid = 0, invalid = 0, express = 0, dom = 0, reference = 0, rejected_reasons = 0;
  for (int program_index = 0; program_index < 40; ++program_index) {
    std::vector<RecordDefault> defaults;
    const std::string source = gen.program(defaults);
    INFO(source);
    auto program = compile_program({{"gen.flow", source}}, defaults);
    Tiers tiers(*program), strict_tiers(*program, true);
    runtime::CloudEventDecoder decoder(*program->catalog);
    Arena arena;
    for (const auto& type : program->catalog->types()) {
      for (int i = 0; i < 250; ++i) {
        NestedGenerator::Plan plan;
        plan.strict = i % 5 == 4;
        plan.chance_percent = i % 2 ? 0 : 6;  // half of the lines try to plant a mistake
        const std::string data = gen.data(*type, plan);
        const std::string line = line_of(type->wire_name, data);
        INFO("line: " << line);
        Tiers& t = plan.strict ? strict_tiers : tiers;
        // Read in place too, followed by digits and quotes that would
        // continue a number or a string cut at the line's end.
        if (i % 4 == 0) t.check_in_place(line, i % 8 ? std::string(64, '7') : std::string(64, '"'));
        const Outcome outcome = t.check(line);
        if (plan.planted) {
          ++invalid;
          REQUIRE(outcome == Outcome::Rejected);
          INFO("reason: " << t.error());
          CHECK(t.error().rfind(plan.reason_start, 0) == 0);
          ++rejected_reasons;
          continue;
        }
        ++valid;
        REQUIRE(outcome != Outcome::Rejected);
        express += outcome == Outcome::Express;
        dom += outcome == Outcome::Dom;
        reference += outcome == Outcome::Reference;
        // Encoded, it decodes (strictly) to text that encodes the same.
        const std::string once = encode_line(t.event());
        INFO("encoded: " << once);
        runtime::DecodedEvent again;
        if (arena.used() > (1u << 20)) arena.reset();
        REQUIRE(decoder.decode(once, arena, again));
        CHECK(encode_line(again) == once);
        CHECK(strict_tiers.check(once) != Outcome::Rejected);
      }
    }
  }
  // Every tier took its share, and mistakes were planted at every kind of place.
  CHECK(valid > 10000);
  CHECK(invalid > 5000);
  CHECK(express > 5000);
  CHECK(dom > 200);
  CHECK(reference > 200);
  CHECK(rejected_reasons == invalid);
}

TEST_CASE("nested tiers: valid nested lines with random edits", "[ingress][nested][tiers]") {
  NestedGenerator gen(23);
  std::vector<RecordDefault> defaults;
  const std::string source = gen.program(defaults);
  auto program = compile_program({{"gen.flow", source}}, defaults);
  Tiers tiers(*program), strict_tiers(*program, true);
  std::mt19937_64 rng(29);
  const std::string tokens[] = {"{",
                                "}",
                                "[",
                                "]",
                                "\"",
                                ":",
                                ",",
                                "null",
                                "true",
                                "-0",
                                "1e2",
                                "0.1",
                                "\\u0000",
                                " ",
                                "\"a\"",
                                "\"r0\"",
                                "{\"a\":1}",
                                "[null]",
                                "1.00000000000000000000000000000000001"};
  size_t accepted = 0, rejected = 0;
  for (int i = 0; i < 20000; ++i) {
    const auto& type = *program->catalog->types()[static_cast<size_t>(i) % program->catalog->types().size()];
    NestedGenerator::Plan plan;
    std::string line = line_of(type.wire_name, gen.data(type, plan));
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !line.empty(); ++e) {
      const size_t at = rng() % line.size();
      switch (rng() % 4) {
        case 0: line.erase(at, 1 + rng() % 6); break;
        case 1: line.insert(at, tokens[rng() % std::size(tokens)]); break;
        case 2: line[at] = tokens[rng() % std::size(tokens)][0]; break;
        default: line.insert(at, line.substr(at, rng() % 24)); break;  // a chunk again
      }
    }
    INFO("line: " << line);
    const Outcome outcome = (i % 3 ? tiers : strict_tiers).check(line);
    (outcome == Outcome::Rejected ? rejected : accepted) += 1;
    // Cut anywhere and read in place, followed by what would continue a
    // number, a string or a literal: never read as part of the line.
    if (i % 4 == 0 && !line.empty()) {
      static const char* const continuations[] = {"7", "\"", "e", "0.5", "ull"};
      std::string after;
      while (after.size() < runtime::CloudEventDecoder::kPadding) after += continuations[i / 4 % 5];
      tiers.check_in_place(line.substr(0, rng() % line.size()), after);
    }
  }
  CHECK(accepted > 500);
  CHECK(rejected > 5000);
}

TEST_CASE("nested tiers: nested values' text handed over equals the encoder's", "[ingress][nested][tiers]") {
  // Lines as senders write them (whitespace, fields out of order or left
  // out, other spellings of numbers, timestamps and durations) and as the
  // encoder writes them. Tiers::check requires that the data written with
  // the texts the express tier hands over is the encoder's to the byte;
  // here, besides, the encoder's own lines hand over every nested value's
  // text as it stands, and senders' lines hand over rewritten texts too.
  NestedGenerator gen(31);
  size_t handed = 0, rewritten = 0, canonical = 0;
  for (int program_index = 0; program_index < 20; ++program_index) {
    std::vector<RecordDefault> defaults;
    const std::string source = gen.program(defaults);
    INFO(source);
    auto program = compile_program({{"gen.flow", source}}, defaults);
    Tiers tiers(*program);
    for (const auto& type : program->catalog->types()) {
      for (int i = 0; i < 100; ++i) {
        NestedGenerator::Plan plan;  // no mistakes
        const std::string line = line_of(type->wire_name, gen.data(*type, plan));
        if (tiers.check(line) != Outcome::Express) continue;
        const runtime::DecodedEvent& event = tiers.event();
        for (const runtime::FieldCodec& f : type->fields) {
          const std::string_view text = event.verbatim[f.index];
          if (text.empty() || (f.value->kind != TypeKind::List && f.value->kind != TypeKind::Map &&
                               f.value->kind != TypeKind::Record)) {
            continue;
          }
          ++handed;
          rewritten += line.find(text) == std::string::npos;
        }
        const std::string once = encode_line(event);
        INFO("encoded: " << once);
        if (tiers.check(once) != Outcome::Express) continue;  // (strings with escapes)
        ++canonical;
        const runtime::DecodedEvent& again = tiers.event();
        for (const runtime::FieldCodec& f : type->fields) {
          const bool nested =
              f.value->kind == TypeKind::List || f.value->kind == TypeKind::Map || f.value->kind == TypeKind::Record;
          if (!nested || (f.optional && !type->layout->present(again.instance, f.index))) continue;
          INFO("field " << f.name);
          const std::string_view text = again.verbatim[f.index];
          CHECK_FALSE(text.empty());
          CHECK(once.find(std::string(f.json_key) + std::string(text)) != std::string::npos);
        }
      }
    }
  }
  CHECK(handed > 1000);
  CHECK(rewritten > 200);
  CHECK(canonical > 1000);
}

// decode -> encode -> decode over generated events of many shapes: random
// event declarations (every field type, optionals, nested lists of
// optionals) filled with random values, including the limits of each type.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>

#include "base/time_format.h"
#include "eval/value_io.h"
#include "ingress_fixture.h"
#include "layout/event_builder.h"

using namespace flow;
using namespace flow::testing;
using eval::Value;

namespace {

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  int below(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }

  /// A field type in Flow syntax.
  std::string type(int depth = 0) {
    static const char* scalars[] = {"bool", "int", "float", "string", "timestamp", "duration", "Color"};
    if (depth < 3 && chance(25)) {
      std::string element = type(depth + 1);
      if (element.back() != '?' && chance(30)) element += "?";
      return "list<" + element + ">";
    }
    return scalars[below(7)];
  }

  std::string string() {
    static const char* pieces[] = {"a",
                                   "Z",
                                   " ",
                                   "\"",
                                   "\\",
                                   "/",
                                   "\n",
                                   "\t",
                                   "" /* NUL, below */,
                                   "\x1f",
                                   "é",
                                   "€",
                                   "中",
                                   "\xF0\x9F\x98\x80",
                                   "order-42",
                                   "{",
                                   "}",
                                   "[",
                                   ",",
                                   ":"};
    std::string out;
    int n = below(12);
    for (int i = 0; i < n; ++i) {
      int p = below(20);
      if (p == 8)
        out.push_back('\0');
      else
        out += pieces[p];
    }
    return out;
  }

  Value value(const Type* t) {
    switch (t->kind) {
      case TypeKind::Optional: return chance(30) ? Value::none() : value(t->element);
      case TypeKind::Bool: return Value::boolean(chance(50));
      case TypeKind::Int: {
        switch (below(4)) {
          case 0: return Value::integer(INT64_MAX - below(2));
          case 1: return Value::integer(INT64_MIN + below(2));
          case 2: return Value::integer(below(2001) - 1000);
          default: return Value::integer(static_cast<int64_t>(rng_()));
        }
      }
      case TypeKind::Float: {
        switch (below(5)) {
          case 0: return Value::floating(below(2) ? -0.0 : 5e-324);
          case 1: return Value::floating(below(2000) / 8.0 - 100);
          case 2: return Value::floating(below(2) ? 1.7976931348623157e308 : -2.2250738585072014e-308);
          default: {
            double d;
            do {
              uint64_t bits = rng_();
              std::memcpy(&d, &bits, sizeof d);
            } while (!std::isfinite(d));
            return Value::floating(d);
          }
        }
      }
      case TypeKind::String: return Value::string(string());
      case TypeKind::Timestamp: {
        static const int64_t min = *parse_timestamp("0000-01-01T00:00:00Z");
        static const int64_t max = *parse_timestamp("9999-12-31T23:59:59.999999Z");
        int64_t v = min + static_cast<int64_t>(rng_() % static_cast<uint64_t>(max - min + 1));
        if (chance(50)) v -= v % 1000000;
        return Value::timestamp(chance(5) ? (chance(50) ? min : max) : v);
      }
      case TypeKind::Duration: {
        switch (below(4)) {
          case 0: return Value::duration(chance(50) ? INT64_MAX : INT64_MIN);
          case 1: return Value::duration((below(2001) - 1000) * int64_t{60'000'000});
          case 2: return Value::duration(below(100000) - 50000);
          default: return Value::duration(static_cast<int64_t>(rng_()));
        }
      }
      case TypeKind::Enum: return Value::enumeration(below(static_cast<int>(t->enum_info->members.size())));
      case TypeKind::List: {
        std::vector<Value> items;
        int n = chance(20) ? 0 : below(5);
        for (int i = 0; i < n; ++i) items.push_back(value(t->element));
        return Value::list(std::move(items));
      }
      default: FAIL("unexpected type " << t->to_string()); return Value::none();
    }
  }

 private:
  std::mt19937_64 rng_;
};

/// Bitwise equality for floats (-0.0 vs 0.0), structural for the rest.
bool same(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  if (a.kind() == eval::ValueKind::Float) return std::signbit(a.as_float()) == std::signbit(b.as_float()) && a == b;
  if (a.kind() == eval::ValueKind::List) {
    if (a.as_list().size() != b.as_list().size()) return false;
    for (size_t i = 0; i < a.as_list().size(); ++i) {
      if (!same(a.as_list()[i], b.as_list()[i])) return false;
    }
    return true;
  }
  return a == b;
}

/// Fills an instance of `type` with random values, encodes it, decodes the
/// text, checks every field, and checks that encoding again gives the same text.
void round_trip(const IngressProgram& program, const runtime::EventType& type, Generator& gen) {
  Arena arena;
  layout::EventBuilder builder(*type.layout, arena);
  std::vector<Value> values;
  for (const auto& f : type.decl->fields) {
    values.push_back(gen.value(f.type));
    eval::write_field(builder, static_cast<int>(values.size() - 1), values.back());
  }
  std::string line;
  runtime::append_cloudevent_json(line, type, builder.instance(), {"e-1", "test", 0, {}});
  INFO("line: " << line);
  DecodeResult r = decode_with(program, line, /*strict=*/true);
  INFO("error: " << r.error);
  REQUIRE(r.ok);
  REQUIRE(r.event.type == &type);
  for (size_t i = 0; i < values.size(); ++i) {
    Value back = eval::read_field(*type.layout, r.event.instance, static_cast<int>(i));
    INFO("field " << type.fields[i].name << ": " << values[i].to_string() << " came back as " << back.to_string());
    CHECK(same(values[i], back));
  }
  std::string again;
  runtime::append_cloudevent_json(again, type, r.event.instance, {"e-1", "test", 0, {}});
  CHECK(again == line);
  // The reference path alone decodes it to the same instance.
  DecodeResult reference = decode_with(program, line, /*strict=*/true, /*fast_path=*/false);
  REQUIRE(reference.ok);
  std::string from_reference;
  runtime::append_cloudevent_json(from_reference, type, reference.event.instance, {"e-1", "test", 0, {}});
  CHECK(from_reference == line);
}

}  // namespace

TEST_CASE("round trip: the shop events with random values", "[ingress][roundtrip]") {
  Generator gen(1);
  const IngressProgram& p = shop();
  for (const char* name : {"OrderPlaced", "OrderApproved", "Everything"}) {
    for (int i = 0; i < 300; ++i) round_trip(p, p.type(name), gen);
  }
}

TEST_CASE("round trip: random event shapes", "[ingress][roundtrip]") {
  Generator gen(2);
  for (int program_index = 0; program_index < 12; ++program_index) {
    std::string source = "module gen\nenum Color { Red, Green, Blue }\n";
    int events = 1 + gen.below(5);
    for (int e = 0; e < events; ++e) {
      source += "event E" + std::to_string(e) + " {\n";
      int fields = 1 + gen.below(70);  // more than 64: the presence bitmap spans words
      for (int f = 0; f < fields; ++f) {
        std::string t = gen.type();
        if (gen.chance(25) && t.back() != '?') t += "?";
        source += "  f" + std::to_string(f) + ": " + t + "\n";
      }
      source += "}\n";
    }
    INFO(source);
    auto program = compile_program({{"gen.flow", source}});
    for (const auto& type : program->catalog->types()) {
      for (int i = 0; i < 40; ++i) round_trip(*program, *type, gen);
    }
  }
}

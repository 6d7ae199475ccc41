// Implementation of the ingress test helpers.
#include "ingress_fixture.h"

#include <catch2/catch.hpp>

#include "eval/value_io.h"

namespace flow::testing {

const char* kShopSource = R"(module shop.orders

enum Channel { Web, Store, Phone }

event OrderPlaced {
  key order_id: string
  customer: string
  country: string
  amount: float
  items: int
  channel: Channel
  coupon: string?
  tags: list<string> = []
  placed_at: timestamp
}

event OrderApproved { ...OrderPlaced, approved_by: string }

event Everything {
  key id: int
  b: bool, i: int, f: float, s: string, ts: timestamp, d: duration, c: Channel
  ob: bool?, oi: int?, of: float?, os: string?, ots: timestamp?, od: duration?, oc: Channel?
  li: list<int>, lf: list<float>, ls: list<string>, lb: list<bool>
  lts: list<timestamp>, ld: list<duration>, lc: list<Channel>
  loi: list<int?>, los: list<string?>, lli: list<list<int>>, llos: list<list<string?>>
  olli: list<list<int>>?
  di: int = 42
  ds: string = "hi"
  dl: list<string> = ["a", "b"]
  dll: list<list<string>> = [["x"], [], ["y", "z"]]
  dd: duration = 15m
  dts: timestamp = @2026-01-31T12:00:00Z
  dc: Channel = Channel.Store
  doi: int? = 7
}

service Approve {
  consumes o: OrderPlaced
  publishes OrderApproved
  emit OrderApproved { ...o, approved_by: "auto" }
}

flow OrderToCash {
  start OrderPlaced, Everything
  end OrderApproved, Everything
  on OrderPlaced -> Approve
}
)";

const runtime::EventType& IngressProgram::type(const std::string& name) const {
  const runtime::EventType* t = catalog->find(name);
  if (!t) throw std::runtime_error("no event type " + name);
  return *t;
}

std::unique_ptr<IngressProgram> compile_program(const std::vector<std::pair<std::string, std::string>>& sources) {
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
  auto events = p->program->all<ast::EventDecl>();
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

std::string encoded(const DecodeResult& r) {
  std::string out;
  runtime::append_cloudevent_json(out, *r.event.type, r.event.instance,
                                  {r.event.id.value_or(""), r.event.source.value_or(""), r.event.time, r.event.subject});
  return out;
}

}  // namespace

DecodeResult decode_with(const IngressProgram& program, const std::string& line, bool strict, bool fast_path) {
  DecodeResult r = decode_once(program, line, strict, fast_path);
  if (fast_path) {
    // Every test line doubles as a differential test of the two paths.
    DecodeResult reference = decode_once(program, line, strict, false);
    INFO("line: " << line);
    REQUIRE(r.ok == reference.ok);
    if (r.ok) {
      CHECK(encoded(r) == encoded(reference));
    } else {
      CHECK(r.error == reference.error);
      CHECK(r.kind == reference.kind);
    }
  }
  return r;
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

std::string line_of(const std::string& type, const std::string& data) {
  return R"({"type":")" + type + R"(","data":)" + data + "}";
}

std::string order_data(const std::string& extra, const std::vector<std::string>& without) {
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"order_id", R"("o-1")"},  {"customer", R"("c-7")"}, {"country", R"("NL")"},
      {"amount", "120.5"},       {"items", "3"},           {"channel", R"("Web")"},
      {"coupon", R"("SPRING")"}, {"tags", R"(["vip"])"},   {"placed_at", R"("2026-01-31T12:00:00Z")"},
  };
  std::string out = "{";
  for (const auto& [name, value] : fields) {
    bool skip = false;
    for (const auto& w : without) skip = skip || w == name;
    if (skip) continue;
    if (out.size() > 1) out += ",";
    out += "\"" + name + "\":" + value;
  }
  if (!extra.empty()) out += (out.size() > 1 ? "," : "") + extra;
  return out + "}";
}

}  // namespace flow::testing

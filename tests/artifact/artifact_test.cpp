// The .flowc artifact: build -> load gives the same program (evaluated
// conditions agree with the sources'), and every kind of damaged file is
// refused with a one-line reason — never a crash.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "artifact/artifact_file.h"
#include "artifact/artifact_writer.h"
#include "eval/interpreter.h"
#include "ir/ir_printer.h"
#include "ir/lower.h"
#include "layout/event_builder.h"
#include "load/app_loader.h"
#include "plan/plan_builder.h"
#include "plan/plan_format.h"

using namespace flow;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> example_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(FLOW_EXAMPLES_DIR)) {
    if (entry.path().extension() == ".flow") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// A program checked, lowered and planned in this process: what flowc
/// builds an artifact from.
struct Built {
  std::unique_ptr<Program> program;
  std::unique_ptr<plan::Plan> plan;
  std::string bytes;  // its artifact
};

Built build(const std::string& source) {
  Built b;
  DiagnosticEngine diags;
  b.program = compile_files({source}, {}, diags);
  REQUIRE(b.program);
  REQUIRE(b.program->ok);
  auto lowered = ir::lower_program(*b.program);
  REQUIRE(lowered.ok());
  b.plan = plan::build_plan(*b.program, lowered);
  std::string hash;
  b.bytes = artifact::write_artifact(*b.program, *b.plan, {}, hash);
  return b;
}

std::string build_bytes(const std::string& source) {
  return build(source).bytes;
}

std::string temp_file(const std::string& name, const std::string& bytes) {
  fs::path path = fs::temp_directory_path() / ("flow-artifact-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

/// A deterministic event: every field set from `seed` by its type.
const uint8_t* make_event(const layout::EventLayout& layout, Arena& arena, int seed) {
  layout::EventBuilder builder(layout, arena);
  for (size_t i = 0; i < layout.fields.size(); ++i) {
    int field = static_cast<int>(i);
    const Type* type = layout.fields[i].type;
    if (type->is_optional()) {
      if (seed % 2 == 0) {
        builder.set_none(field);
        continue;
      }
      type = type->element;
    }
    switch (type->kind) {
      case TypeKind::Bool: builder.set_bool(field, seed % 3 == 0); break;
      case TypeKind::Int: builder.set_int(field, seed * 7 - 10); break;
      case TypeKind::Float: builder.set_float(field, seed * 1234.5); break;
      case TypeKind::String: builder.set_string(field, seed % 2 ? "NL" : "invoice login refund"); break;
      case TypeKind::Timestamp: builder.set_timestamp(field, 1'760'000'000'000'000LL + seed * 86'400'000'000LL); break;
      case TypeKind::Duration: builder.set_duration(field, seed * 60'000'000LL); break;
      case TypeKind::Enum: builder.set_enum(field, seed % static_cast<int>(type->enum_info->members.size())); break;
      case TypeKind::List: builder.set_list(field, FlowList{nullptr, 0}); break;
      default: break;
    }
  }
  return builder.instance();
}

std::string describe(const eval::EvalResult& r) {
  return r.ok() ? "ok " + r.value().to_string() : std::string("error ") + eval::to_string(r.error().kind);
}

}  // namespace

TEST_CASE("every example's plan reads back equal and evaluates like the program it was built from") {
  for (const auto& source : example_files()) {
    INFO(source);
    Built built = build(source);
    std::string path = temp_file("roundtrip.flowc", built.bytes);
    std::string error, diagnostics;
    auto from_artifact = runtime::load_app(path, {}, diagnostics, error);
    REQUIRE(from_artifact);
    CHECK(error.empty());
    auto from_source = runtime::load_app(source, {}, diagnostics, error);  // through flowc
    REQUIRE(from_source);
    CHECK(from_artifact->definitions_json == from_source->definitions_json);
    CHECK(from_artifact->definitions_json == artifact::definitions_json(*built.plan));
    const ir::Module& built_module = *built.plan->module;
    const ir::Module& read_module = from_artifact->module();
    // The IR text covers every function, node, type, layout offset and emit plan.
    CHECK(ir::print_module(read_module) == ir::print_module(built_module));
    CHECK(ir::print_module(from_source->module()) == ir::print_module(built_module));
    REQUIRE(read_module.functions.size() == built_module.functions.size());
    CHECK(read_module.field_defaults.size() == built_module.field_defaults.size());
    CHECK(read_module.record_field_defaults.size() == built_module.record_field_defaults.size());
    CHECK(read_module.emits.size() == built_module.emits.size());

    eval::Interpreter a(read_module), b(built_module);
    Arena arena;
    int compared = 0;
    for (size_t f = 0; f < built_module.functions.size(); ++f) {
      const ir::Function& fb = *built_module.functions[f];
      const ir::Function& fa = *read_module.functions[f];
      REQUIRE(fa.name == fb.name);
      CHECK(fa.decl_name == fb.decl_name);
      for (int seed = 0; seed < 6; ++seed) {
        const uint8_t* ea = fa.event ? make_event(read_module.layouts.of(fa.event), arena, seed) : nullptr;
        const uint8_t* eb = fb.event ? make_event(built_module.layouts.of(fb.event), arena, seed) : nullptr;
        eval::EvalContext context{1'760'000'000'000'000LL, nullptr};
        CHECK(describe(a.run(fa, ea, context)) == describe(b.run(fb, eb, context)));
        ++compared;
      }
    }
    CHECK(compared > 0);
    fs::remove(path);
  }
}

TEST_CASE("the artifact's hash is SHA-256 (FIPS 180-2 test vectors)") {
  CHECK(artifact::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(artifact::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(artifact::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(artifact::sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("a flipped byte anywhere is refused as corrupt") {
  std::string bytes = build_bytes(std::string(FLOW_EXAMPLES_DIR) + "/order-to-cash/orders.flow");
  artifact::ArtifactContents contents;
  std::string error;
  REQUIRE(artifact::read_artifact(bytes, contents, error));
  for (size_t offset = 0; offset < bytes.size(); ++offset) {
    std::string damaged = bytes;
    damaged[offset] = static_cast<char>(damaged[offset] ^ (1 << (offset % 8)));
    artifact::ArtifactContents out;
    std::string why;
    INFO("offset " << offset);
    CHECK_FALSE(artifact::read_artifact(damaged, out, why));
    CHECK_FALSE(why.empty());
    CHECK(why.find('\n') == std::string::npos);
  }
}

TEST_CASE("a truncated artifact is refused at every length") {
  std::string bytes = build_bytes(std::string(FLOW_EXAMPLES_DIR) + "/support-ticket/tickets.flow");
  for (size_t length = 0; length < bytes.size(); length += (length < 64 ? 1 : 97)) {
    artifact::ArtifactContents out;
    std::string why;
    INFO("length " << length);
    CHECK_FALSE(artifact::read_artifact(std::string_view(bytes).substr(0, length), out, why));
    CHECK_FALSE(why.empty());
  }
}

TEST_CASE("version mismatch, wrong files and missing files get clear reasons") {
  std::string bytes = build_bytes(std::string(FLOW_EXAMPLES_DIR) + "/order-to-cash/orders.flow");
  artifact::ArtifactContents out;
  std::string why;

  // A future format version, sealed properly: a version message, not "corrupt".
  artifact::ContainerFile future;
  future.format_version = artifact::kFormatVersion + 1;
  future.sections.push_back({artifact::kMeta, "{}"});
  CHECK_FALSE(artifact::read_artifact(artifact::serialize_container(future), out, why));
  CHECK(why.find("format version") != std::string::npos);
  CHECK(why.find("rebuild") != std::string::npos);

  CHECK_FALSE(artifact::read_artifact("", out, why));
  CHECK(why.find("empty") != std::string::npos);
  CHECK_FALSE(artifact::read_artifact("{\"specversion\":\"1.0\"}", out, why));
  CHECK(why.find("not a Flow artifact") != std::string::npos);

  std::string error, diags;
  CHECK_FALSE(runtime::load_app("/nonexistent/app.flowc", {}, diags, error));
  CHECK(error.find("cannot read") != std::string::npos);

  std::string path = temp_file("garbage.flowc", "garbage, not an artifact");
  CHECK_FALSE(runtime::load_app(path, {}, diags, error));
  CHECK(error.find("not a Flow artifact") != std::string::npos);
  fs::remove(path);
}

TEST_CASE("an artifact carries its imports and loads without the file system") {
  std::string bytes = build_bytes(std::string(FLOW_SOURCE_DIR) + "/tests/artifact/cases/alerts.flow");
  std::string path = temp_file("alerts.flowc", bytes);
  std::string error, diags;
  auto app = runtime::load_app(path, {}, diags, error);
  INFO(error);
  REQUIRE(app);
  CHECK(app->plan->event("std.runtime.DeliveryDeadLettered"));
  fs::remove(path);
}

TEST_CASE("the same sources built from other files and folders are one definition") {
  const std::string text = "event Greeted { key name: string }\nflow Hello { start Greeted end Greeted }\n";
  const fs::path a = fs::temp_directory_path() / "flow-artifact-a" / "hello.flow";
  const fs::path b = fs::temp_directory_path() / "flow-artifact-b" / "deeper" / "renamed.flow";
  for (const auto& p : {a, b}) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  std::string hash[2], error;
  for (int i = 0; i < 2; ++i) {
    std::string bytes = build_bytes((i == 0 ? a : b).string());
    auto app = runtime::load_app_from_bytes(bytes, "app", error);
    INFO(error);
    REQUIRE(app);
    hash[i] = app->content_hash;
    CHECK(app->plan->event("Greeted"));  // no file name in the identity
    CHECK(app->source_folder == (i == 0 ? a : b).parent_path().string());
  }
  CHECK(hash[0] == hash[1]);
  fs::remove_all(a.parent_path());
  fs::remove_all(b.parent_path().parent_path());
}

TEST_CASE("an artifact from before location sections loads with its file-named identities") {
  // Built by flowc from a `hello.flow` without a module clause when such a
  // file's declarations were named hello.X; journals hold those names.
  std::ifstream in(std::string(FLOW_SOURCE_DIR) + "/tests/artifact/cases/hello-without-location.artifact",
                   std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(bytes.empty());
  std::string error;
  auto app = runtime::load_app_from_bytes(bytes, "old", error);
  INFO(error);
  REQUIRE(app);
  CHECK(app->plan->event("hello.Greeted"));  // rebuilt with a plan by flowc
  CHECK(app->source_folder.empty());
  // Without location sections the content hash is the seal, as it was.
  CHECK(app->content_hash == artifact::sha256_hex(std::string_view(bytes).substr(0, bytes.size() - 32)));
}

TEST_CASE("a plan section cut short or damaged is refused with a reason, never half-read") {
  Built built = build(std::string(FLOW_EXAMPLES_DIR) + "/order-to-cash/orders.flow");
  const std::string bytes = plan::write_plan(*built.plan);
  std::string error;
  REQUIRE(plan::read_plan(bytes, error));
  // Every prefix is refused (the container's hash would refuse the file
  // first; this is the plan reader on its own).
  for (size_t length = 0; length < bytes.size(); ++length) {
    INFO("length " << length);
    error.clear();
    CHECK_FALSE(plan::read_plan(std::string_view(bytes).substr(0, length), error));
    CHECK_FALSE(error.empty());
  }
  // Damage: a plan that still reads must be whole (every table present and
  // every reference inside it), else a reason.
  int refused = 0, read = 0;
  for (size_t offset = 0; offset < bytes.size(); offset += 3) {
    std::string damaged = bytes;
    damaged[offset] = static_cast<char>(damaged[offset] ^ (0x41 << (offset % 2)));
    error.clear();
    auto plan = plan::read_plan(damaged, error);
    if (!plan) {
      CHECK(error.rfind("malformed plan section: ", 0) == 0);
      ++refused;
      continue;
    }
    ++read;
    CHECK(plan->module);
    CHECK(plan->events.size() == built.plan->events.size());
  }
  CHECK(refused > 0);
  CHECK(read > 0);  // a changed character in a name still reads: names are data
  error.clear();
  CHECK_FALSE(plan::read_plan(bytes + "x", error));
  CHECK(error.find("trailing") != std::string::npos);
}

TEST_CASE("an artifact with a version 1 plan (before records and maps) still loads") {
  // Built by flowc with plan format 1 from the order-to-cash example of then.
  std::ifstream in(std::string(FLOW_SOURCE_DIR) + "/tests/artifact/cases/orders-plan-v1.artifact", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(bytes.empty());
  std::string error;
  auto app = runtime::load_app_from_bytes(bytes, "v1", error);
  INFO(error);
  REQUIRE(app);
  CHECK(app->plan->records.empty());
  REQUIRE(app->plan->event("shop.orders.OrderPlaced"));
  CHECK(app->module().functions.size() == 28);
  // Written again, it is a current plan that reads back the same.
  std::string rewritten = plan::write_plan(*app->plan);
  auto again = plan::read_plan(rewritten, error);
  REQUIRE(again);
  CHECK(ir::print_module(*again->module) == ir::print_module(app->module()));
}

TEST_CASE("a plan names its records and their fields, and refuses a record that contains itself") {
  TypeContext types;
  RecordInfo address, order_line;
  address.name = "Address";
  address.qualified_name = "t.Address";
  address.fields = {{"city", types.string()}, {"zip", types.optional(types.integer())}};
  address.index_fields();
  order_line.name = "Line";
  order_line.qualified_name = "t.Line";
  order_line.fields = {{"to", types.record(&address)}, {"labels", types.map(types.list(types.record(&address)))}};
  order_line.includes = {};
  order_line.index_fields();
  EventInfo placed;
  placed.name = "Placed";
  placed.qualified_name = "t.Placed";
  placed.fields = {{"lines", types.list(types.record(&order_line))}, {"bill", types.optional(types.record(&address))}};
  placed.index_fields();
  plan::Plan p;
  p.records = {&address, &order_line};
  p.events = {&placed};
  p.module = std::make_unique<ir::Module>();
  p.module->layouts.add(&placed);
  p.table.events.push_back({&placed, {}, {}, {}, {}});
  std::string bytes = plan::write_plan(p), error;
  auto read = plan::read_plan(bytes, error);
  INFO(error);
  REQUIRE(read);
  REQUIRE(read->records.size() == 2);
  const RecordInfo& line = *read->records[1];
  CHECK(line.qualified_name == "t.Line");
  CHECK(line.fields[0].type->kind == TypeKind::Record);
  CHECK(line.fields[0].type->record_info == read->records[0]);
  CHECK(line.fields[1].type->to_string() == "map<string, list<Address>>");
  const auto& event = read->module->layouts.of(read->events[0]);
  CHECK(event.size == p.module->layouts.of(&placed).size);
  CHECK(read->events[0]->fields[1].type->to_string() == "Address?");
  CHECK(layout::record_layout(line).size == layout::record_layout(order_line).size);

  // A broken writer's record that contains itself is refused, not laid out.
  RecordInfo loop;
  loop.name = "Loop";
  loop.qualified_name = "t.Loop";
  loop.fields = {{"next", types.optional(types.record(&loop))}};
  loop.index_fields();
  plan::Plan bad;
  bad.records = {&loop};
  bad.module = std::make_unique<ir::Module>();
  auto refused = plan::read_plan(plan::write_plan(bad), error);
  CHECK_FALSE(refused);
  CHECK(error.find("'Loop' contains itself") != std::string::npos);
}

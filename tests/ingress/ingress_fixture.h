// Test helpers for the ingress tests: compile a Flow program, evaluate its
// field defaults, build the EventCatalog, and decode/encode lines.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "check/program.h"
#include "eval/interpreter.h"
#include "eval/value.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"
#include "ingress/event_encoder.h"
#include "ingress/field_defaults.h"
#include "ir/lower.h"

namespace flow::testing {

/// The order-to-cash events plus `Everything`, an event with a field of
/// every type, optional and not, lists (nested, of optionals) and defaults.
extern const char* kShopSource;

/// A compiled program with its catalog.
struct IngressProgram {
  DiagnosticEngine diags;
  std::unique_ptr<Program> program;
  ir::LowerResult lowered;
  std::unique_ptr<eval::Interpreter> interpreter;
  runtime::FieldDefaults defaults;
  std::unique_ptr<runtime::EventCatalog> catalog;

  const runtime::EventType& type(const std::string& name) const;
};

/// Compiles `sources` ((path, text) pairs); fails the test on errors.
std::unique_ptr<IngressProgram> compile_program(const std::vector<std::pair<std::string, std::string>>& sources);
/// The shop program, compiled once and shared by the tests.
const IngressProgram& shop();

struct DecodeResult {
  bool ok = false;
  std::string error;
  runtime::RejectKind kind = runtime::RejectKind::NotJson;
  runtime::DecodedEvent event;
  std::shared_ptr<Arena> arena;  // owns the instance
  /// A field of the decoded instance (by name) as an interpreter value.
  eval::Value field(const std::string& name) const;
  bool present(const std::string& name) const;
};

/// Decodes one line against the shop program (or `program`); `fast_path`
/// false uses the reference path alone.
DecodeResult decode(const std::string& line, bool strict = false);
DecodeResult decode_with(const IngressProgram& program, const std::string& line, bool strict = false,
                         bool fast_path = true);
/// The error of a line that must be rejected (fails the test when accepted).
std::string reject(const std::string& line, bool strict = false);
/// `{"type":"<type>","data":<data>}`.
std::string line_of(const std::string& type, const std::string& data);
/// A complete valid OrderPlaced data object with `extra` fields appended
/// (after a comma) and the named fields left out.
std::string order_data(const std::string& extra = "", const std::vector<std::string>& without = {});

}  // namespace flow::testing

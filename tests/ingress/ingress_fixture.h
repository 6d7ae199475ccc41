// Test helpers for the ingress tests: compile a Flow program, evaluate its
// field defaults, build the EventCatalog, and decode/encode lines.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../support/shop_source.h"
#include "check/program.h"
#include "eval/interpreter.h"
#include "eval/value.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"
#include "ingress/event_encoder.h"
#include "ingress/field_defaults.h"
#include "ir/lower.h"

namespace flow::testing {

// kShopSource (support/shop_source.h): the order-to-cash events plus
// `Everything`, an event with a field of every type, optional and not,
// lists (nested, of optionals) and defaults.

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

/// A default value for a record's field, given by the test: `flowc build`
/// refuses defaults in records until lowering makes functions for them
/// (ir::Module::record_field_defaults), so the tests of how ingress applies
/// them declare the field without one and name the value here.
struct RecordDefault {
  std::string record;  // plain name
  std::string field;
  eval::Value value;
};

/// Compiles `sources` ((path, text) pairs); fails the test on errors.
std::unique_ptr<IngressProgram> compile_program(const std::vector<std::pair<std::string, std::string>>& sources,
                                                const std::vector<RecordDefault>& record_defaults = {});
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
/// A JSON object of `fields` ((name, JSON value) pairs) in their order, the
/// named ones left out, `extra` members appended (after a comma).
std::string object_of(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& extra = "",
                      const std::vector<std::string>& without = {});
/// `{"type":"<type>","data":<data>}`.
std::string line_of(const std::string& type, const std::string& data);
/// A complete valid OrderPlaced data object with `extra` fields appended
/// (after a comma) and the named fields left out.
std::string order_data(const std::string& extra = "", const std::vector<std::string>& without = {});
/// A valid `Everything` data object: every field without a default, `extra`
/// appended, `without` left out.
std::string everything(const std::string& extra = "", const std::string& without = "");

/// Whether two instances of `type` hold the same values, bit for bit
/// (floats by their bits, strings and lists by content, the presence bitmap
/// and absent slots included); `why` names the first difference.
bool same_instance(const runtime::EventType& type, const uint8_t* a, const uint8_t* b, std::string& why);

/// The decoder's three tiers side by side, for differential tests: the full
/// decoder (express, then DOM, then reference), the decoder without the
/// express tier, and the reference path alone. check() decodes a line with
/// all three, requires that they agree (accept or reject; type, instance,
/// attributes; error text and kind) and that whatever the express tier
/// accepts, the DOM tier accepts as well (unless a decimal number, which
/// only the express and reference tiers read, is the reason), and says who
/// accepted it.
class Tiers {
 public:
  enum class Outcome { Rejected, Express, Dom, Reference };

  explicit Tiers(const IngressProgram& program, bool strict = false);
  Outcome check(const std::string& line);
  /// The same for a bare data object of `type` (decode_data).
  Outcome check_data(const runtime::EventType& type, const std::string& json);
  /// The same with each decoder reading `line` in place, followed by exactly
  /// `after` (at least kPadding bytes, in a buffer of exactly that size, so
  /// that the sanitizer sees any read beyond it).
  Outcome check_in_place(const std::string& line, const std::string& after);

  /// Lines accepted by each tier of the full decoder so far, and rejected.
  size_t express = 0, dom = 0, reference = 0, rejected = 0;
  /// Field values the express tier handed out as text (DecodedEvent::verbatim).
  size_t verbatim_fields = 0;
  /// The last line's results (the full decoder's and the reference's).
  const runtime::DecodedEvent& event() const { return full_event_; }
  const std::string& error() const { return full_.error(); }

 private:
  Outcome compare(bool ok_full, bool ok_dom, bool ok_reference, size_t express_before, size_t dom_before,
                  size_t dom_tier_before);
  Outcome tally(Outcome outcome);

  runtime::CloudEventDecoder full_, dom_, reference_;
  Arena arena_;
  runtime::DecodedEvent full_event_, dom_event_, reference_event_;
};

}  // namespace flow::testing

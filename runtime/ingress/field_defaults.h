// The default values of event and record fields (`tags: list<string> = []`),
// computed once before ingress starts and handed to the EventCatalog, which
// turns them into ready-made slots. Defaults are IR functions
// (ir::Module::field_default, record_field_default); evaluate_field_defaults
// runs them with the reference interpreter, so the ingress library never
// evaluates code itself.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "eval/value.h"
#include "types/types.h"

namespace flow::ir {
struct Module;
}
namespace flow::eval {
class Interpreter;
}

namespace flow::runtime {

/// Default value per (event or record, field index in its `fields`).
class FieldDefaults {
 public:
  void set(const FieldTable* owner, int field, eval::Value value);
  /// Null when the table has no default for that field.
  const eval::Value* find(const FieldTable* owner, int field) const;
  size_t size() const { return values_.size(); }

 private:
  std::map<std::pair<const FieldTable*, int>, eval::Value> values_;
};

/// The records the fields of `events` hold, at any depth (through lists,
/// maps, optionals and other records), each once, in order of discovery.
std::vector<const RecordInfo*> records_of(const std::vector<const EventInfo*>& events);

/// Evaluates the default of every field that declares one, of `events` and
/// of records_of(events); a value `out` holds already is kept. Returns false
/// and sets `error` when a default fails to evaluate or has no IR function
/// (neither happens for a checked and lowered program).
bool evaluate_field_defaults(const ir::Module& module, const eval::Interpreter& interpreter,
                             const std::vector<const EventInfo*>& events, FieldDefaults& out, std::string& error);

}  // namespace flow::runtime

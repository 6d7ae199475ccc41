// FieldDefaults and their evaluation with the reference interpreter.
#include "ingress/field_defaults.h"

#include <algorithm>

#include "eval/interpreter.h"
#include "ir/ir.h"

namespace flow::runtime {

void FieldDefaults::set(const FieldTable* owner, int field, eval::Value value) {
  values_[{owner, field}] = std::move(value);
}

const eval::Value* FieldDefaults::find(const FieldTable* owner, int field) const {
  auto it = values_.find({owner, field});
  return it == values_.end() ? nullptr : &it->second;
}

namespace {

void collect_records(const Type* type, std::vector<const RecordInfo*>& out) {
  while (type->kind == TypeKind::List || type->kind == TypeKind::Optional || type->kind == TypeKind::Map)
    type = type->element;
  if (type->kind != TypeKind::Record) return;
  const RecordInfo* record = type->record_info;
  if (std::find(out.begin(), out.end(), record) != out.end()) return;
  out.push_back(record);
  for (const FieldInfo& field : record->fields) collect_records(field.type, out);
}

/// Evaluates one default into `out` unless it holds one; `what` names the
/// owner in errors ("event 'shop.OrderPlaced'").
bool evaluate_one(const ir::Function* fn, const eval::Interpreter& interpreter, const FieldTable* owner, int field,
                  const std::string& what, FieldDefaults& out, std::string& error) {
  if (out.find(owner, field)) return true;
  const std::string& name = owner->fields[static_cast<size_t>(field)].name;
  if (!fn) {
    error = "no compiled default for field '" + name + "' of " + what;
    return false;
  }
  eval::EvalResult result = interpreter.run(*fn, nullptr, eval::EvalContext{});
  if (!result.ok()) {
    error = "the default of field '" + name + "' of " + what + " failed: " + result.error().message;
    return false;
  }
  out.set(owner, field, result.value());
  return true;
}

}  // namespace

std::vector<const RecordInfo*> records_of(const std::vector<const EventInfo*>& events) {
  std::vector<const RecordInfo*> records;
  for (const EventInfo* event : events) {
    for (const FieldInfo& field : event->fields) collect_records(field.type, records);
  }
  return records;
}

bool evaluate_field_defaults(const ir::Module& module, const eval::Interpreter& interpreter,
                             const std::vector<const EventInfo*>& events, FieldDefaults& out, std::string& error) {
  for (const EventInfo* event : events) {
    for (size_t i = 0; i < event->fields.size(); ++i) {
      if (!event->fields[i].has_default) continue;
      const int field = static_cast<int>(i);
      if (!evaluate_one(module.field_default(event, field), interpreter, event, field,
                        "event '" + event->qualified_name + "'", out, error)) {
        return false;
      }
    }
  }
  for (const RecordInfo* record : records_of(events)) {
    for (size_t i = 0; i < record->fields.size(); ++i) {
      if (!record->fields[i].has_default) continue;
      const int field = static_cast<int>(i);
      if (!evaluate_one(module.field_default(record, field), interpreter, record, field,
                        "record '" + record->qualified_name + "'", out, error)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace flow::runtime

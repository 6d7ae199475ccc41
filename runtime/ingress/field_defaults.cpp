// FieldDefaults and their evaluation with the reference interpreter.
#include "ingress/field_defaults.h"

#include "eval/interpreter.h"
#include "ir/ir.h"

namespace flow::runtime {

void FieldDefaults::set(const EventInfo* event, int field, eval::Value value) {
  values_[{event, field}] = std::move(value);
}

const eval::Value* FieldDefaults::find(const EventInfo* event, int field) const {
  auto it = values_.find({event, field});
  return it == values_.end() ? nullptr : &it->second;
}

bool evaluate_field_defaults(const ir::Module& module, const eval::Interpreter& interpreter,
                             const std::vector<const EventInfo*>& events, FieldDefaults& out, std::string& error) {
  for (const EventInfo* event : events) {
    for (size_t i = 0; i < event->fields.size(); ++i) {
      const FieldInfo& field = event->fields[i];
      if (!field.has_default) continue;
      const ir::Function* fn = module.field_default(event, static_cast<int>(i));
      if (!fn) {
        error = "no compiled default for field '" + field.name + "' of event '" + event->qualified_name + "'";
        return false;
      }
      eval::EvalResult result = interpreter.run(*fn, nullptr, eval::EvalContext{});
      if (!result.ok()) {
        error = "the default of field '" + field.name + "' of event '" + event->qualified_name +
                "' failed: " + result.error().message;
        return false;
      }
      out.set(event, static_cast<int>(i), result.value());
    }
  }
  return true;
}

}  // namespace flow::runtime

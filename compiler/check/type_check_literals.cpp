// Type checking of the structured literals (language.md §4.1): record
// literals, built with their type's name — `Address { ...o.ship_to, city:
// "Utrecht" }` — and map literals, `{"k": v}` or `{}`.
//
// A record literal sets each field of its record once: explicitly by
// `name: value`, else from the last `...source` (a record or an event)
// that has a field of that name, else from the field's default; an
// optional field left out is none. A required field left out is E0214.
// As with `emit`, a spread copies only the fields the record has.
#include <set>

#include "check/checker.h"

namespace flow::check {

using namespace ast;

const Type* Checker::check_record_literal(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  const Module& module = *scope.module;
  std::vector<const Type*> values;
  for (auto& operand : expr.operands) values.push_back(check_expr(*operand, scope));
  expr.init_fields.assign(expr.inits.size(), -1);

  // The record type, by its name as written.
  std::string name = expr.type_name.text();
  bool ambiguous = false;
  const Decl* decl = find_visible(module, expr.type_name.parts, &ambiguous);
  auto* record = dyn_cast<RecordDecl>(decl);
  if (!record) {
    if (ambiguous) {
      diags_
          .report(DiagKind::AmbiguousName, expr.type_name.range,
                  "record '" + name + "' is declared in several imported modules")
          .help = "qualify it with its module name";
    } else if (decl) {
      auto& d = diags_.report(DiagKind::UnknownType, expr.type_name.range,
                              "'" + name + "' is " + with_article(to_string(decl->kind)) + ", not a record type");
      if (isa<EventDecl>(decl))
        d.help = "events are not built in expressions: a service emits them (emit " + name + " { ... })";
      referenced_.insert(decl);
    } else if (!may_come_from_unresolved_import(module, expr.type_name.parts)) {
      auto& d = diags_.report(DiagKind::UnknownType, expr.type_name.range, "unknown record type '" + name + "'");
      std::string nearest = nearest_name(expr.type_name.parts.back(), visible_names(module, is_record));
      if (!nearest.empty()) d.help = "did you mean '" + nearest + "'?";
    }
    return types.error();
  }
  expr.type_name.resolved = record;
  referenced_.insert(record);
  const RecordInfo& info = record->info;

  std::vector<bool> covered(info.fields.size(), false);
  std::vector<bool> explicit_init(info.fields.size(), false);
  bool error = false;
  // A source whose type is unknown or incomplete may have been meant to
  // supply the fields left out: saying they are missing would be a
  // follow-on error.
  bool sources_unreliable = incomplete_records_.count(&info) > 0;
  std::vector<size_t> spreads;  // operand indices, in order
  for (size_t i = 0; i < expr.inits.size(); ++i) {
    const FieldInit& init = expr.inits[i];
    const Expr& value = *expr.operands[i];
    if (init.is_spread) {
      if (values[i]->is_error()) {
        sources_unreliable = error = true;
        continue;
      }
      const FieldTable* source = fields_of(values[i]);
      if (!source) {
        auto& d = diags_.report(values[i]->is_optional() ? DiagKind::OptionalNotUnwrapped : DiagKind::TypeMismatch,
                                value.range,
                                "'...' copies the fields of a record or an event, found " + values[i]->to_string());
        if (values[i]->is_optional()) d.help = "a spread needs a value that is present: guard it with is_some()";
        sources_unreliable = error = true;
        continue;
      }
      if ((values[i]->kind == TypeKind::Record && incomplete_records_.count(values[i]->record_info)) ||
          (values[i]->kind == TypeKind::Event && incomplete_events_.count(values[i]->event_info))) {
        sources_unreliable = true;
      }
      spreads.push_back(i);
      continue;
    }
    int index = info.field_index(init.name);
    if (index < 0) {
      if (sources_unreliable) continue;
      std::vector<std::string> names;
      for (const auto& f : info.fields) names.push_back(f.name);
      auto& d = diags_.report(DiagKind::UnknownField, init.name_range,
                              "record '" + info.name + "' has no field '" + init.name + "'");
      std::string nearest = nearest_name(init.name, names);
      if (!nearest.empty()) {
        d.help = "did you mean '" + nearest + "'?";
        covered[static_cast<size_t>(info.field_index(nearest))] = true;  // the field it meant: not also "missing"
      }
      error = true;
      continue;
    }
    auto field = static_cast<size_t>(index);
    if (explicit_init[field]) {
      diags_.report(DiagKind::DuplicateItem, init.name_range, "field '" + init.name + "' is initialised twice");
      error = true;
      continue;
    }
    explicit_init[field] = covered[field] = true;
    expr.init_fields[i] = index;
    const Type* wanted = info.fields[field].type;
    if (values[i]->is_error()) {
      error = true;
    } else if (!is_assignable(values[i], wanted)) {
      auto& d = diags_.report(DiagKind::TypeMismatch, value.range,
                              "field '" + init.name + "' of " + info.name + " is " + wanted->to_string() + ", found " +
                                  values[i]->to_string());
      if (values[i]->is_optional()) d.help = "unwrap the optional with '?? default'";
      if (values[i]->kind == TypeKind::Int && wanted->kind == TypeKind::Decimal) {
        d.help = "write a decimal literal (12.0d) or convert: decimal(x)";
      }
      error = true;
    }
  }
  // Each field not set explicitly comes from the last spread that has it.
  for (size_t f = 0; f < info.fields.size(); ++f) {
    if (explicit_init[f]) continue;
    for (auto it = spreads.rbegin(); it != spreads.rend(); ++it) {
      const FieldTable* source = fields_of(values[*it]);
      int from = source->field_index(info.fields[f].name);
      if (from < 0) continue;
      const Type* source_type = source->fields[static_cast<size_t>(from)].type;
      if (!is_assignable(source_type, info.fields[f].type)) {
        diags_
            .report(DiagKind::TypeMismatch, expr.inits[*it].range,
                    "'...' copies field '" + info.fields[f].name + "' as " + source_type->to_string() + " but " +
                        info.name + " needs " + info.fields[f].type->to_string())
            .help = "initialise '" + info.fields[f].name + "' explicitly";
        error = true;
      }
      covered[f] = true;
      break;
    }
  }
  std::vector<std::string> missing;
  for (size_t f = 0; f < info.fields.size(); ++f) {
    const FieldInfo& field = info.fields[f];
    if (!covered[f] && !field.has_default && !field.type->is_optional()) missing.push_back(field.name);
  }
  if (!missing.empty() && !sources_unreliable) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "'" : ", '") + m + "'";
    auto& d = diags_.report(DiagKind::RecordMissingFields, expr.type_name.range,
                            info.name + " { ... } does not initialise " + list);
    d.help = "initialise each missing field (name: value), or copy them from another value with ...source";
    error = true;
  }
  return error ? types.error() : types.record(&info);
}

const Type* Checker::check_map_literal(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  const Type* value_type = types.never();
  bool error = false;
  std::set<std::string> keys;
  for (size_t i = 0; i + 1 < expr.operands.size(); i += 2) {
    Expr& key = *expr.operands[i];
    Expr& value = *expr.operands[i + 1];
    const Type* k = check_expr(key, scope);
    check_expr(value, scope);
    if (!k->is_error() && k->kind != TypeKind::String) {
      diags_.report(DiagKind::TypeMismatch, key.range, "a map's key must be string, found " + k->to_string());
      error = true;
    } else if (key.kind == ExprKind::String && !keys.insert(key.text).second) {
      diags_.report(DiagKind::DuplicateItem, key.range, "key \"" + key.text + "\" is given twice");
      error = true;
    }
    error |= !join_element(value_type, value, "map values");
  }
  if (error) return types.error();
  if (value_type->kind == TypeKind::Event) {
    diags_.report(DiagKind::TypeMismatch, expr.range, "a map cannot hold events").help =
        "map to the events' fields (such as their keys) instead";
    return types.error();
  }
  if (value_type->is_optional() || value_type->kind == TypeKind::NoneType) {
    diags_
        .report(DiagKind::InvalidMapType, expr.range,
                "a map's values cannot be optional, found " + value_type->to_string())
        .help = "leave the key out instead: a key that is not there reads as none";
    return types.error();
  }
  return types.map(value_type);
}

}  // namespace flow::check

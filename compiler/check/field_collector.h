// Collects the fields of an event or a record while its members are
// expanded: fields declared in place and fields copied in by `...Other`,
// in order, with the diagnostics both share — a field declared twice
// (E0105) and a name that arrives with two different types (E0109) — and
// the declarations included on the way.
// Internal to compiler/check/ (check_events.cpp, check_records.cpp).
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "diag/diagnostic.h"
#include "types/types.h"

namespace flow::check {

/// `Field` has `name`, `type` and `owner` (the declaration it came from,
/// with a `name`); `Decl` is the declaration being expanded.
template <typename Field, typename Decl>
class FieldCollector {
 public:
  FieldCollector(const Decl& self, DiagnosticEngine& diags) : self_(self), diags_(diags) {}

  /// Adds `field`, declared at `where` (in place when `included` is false).
  /// Returns the field already collected under the same name when the two
  /// agree (so the caller may merge them), null otherwise.
  Field* add(const Field& field, SourceRange where, bool included) {
    // By name: long inclusion chains would make a linear scan cubic.
    if (auto found = at_.find(field.name); found != at_.end()) {
      Field& existing = fields_[found->second];
      if (existing.type == field.type || existing.type->is_error() || field.type->is_error()) {
        if (!included && existing.owner == &self_) {
          diags_.report(DiagKind::DuplicateName, where, "field '" + field.name + "' is declared twice");
        }
        return &existing;
      }
      auto& d = diags_.report(DiagKind::ConflictingField, where,
                              "field '" + field.name + "' has type " + field.type->to_string() + " here but " +
                                  existing.type->to_string() + " in " + existing.owner->name);
      d.help = "rename one of the fields, or give both the same type";
      return nullptr;
    }
    at_.emplace(field.name, fields_.size());
    fields_.push_back(field);
    return nullptr;
  }

  std::vector<Field> take() { return std::move(fields_); }

 private:
  const Decl& self_;
  DiagnosticEngine& diags_;
  std::vector<Field> fields_;
  std::unordered_map<std::string, size_t> at_;
};

/// The declarations an event or record includes, transitively, each once,
/// in the order `...` reached them.
template <typename Decl>
class IncludeList {
 public:
  /// Adds `included` and everything it includes.
  void add(const Decl* included) {
    if (seen_.insert(included).second) list_.push_back(included);
    for (const Decl* transitive : included->includes) {
      if (seen_.insert(transitive).second) list_.push_back(transitive);
    }
  }
  std::vector<const Decl*> take() { return std::move(list_); }

 private:
  std::vector<const Decl*> list_;
  std::unordered_set<const Decl*> seen_;
};

}  // namespace flow::check

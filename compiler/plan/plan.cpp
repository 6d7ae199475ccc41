// Lookups over a runtime plan (see plan.h).
#include "plan/plan.h"

namespace flow::plan {

const EventRoutes* DispatchTable::find(const EventInfo* event) const {
  for (const auto& e : events) {
    if (e.event == event) return &e;
  }
  return nullptr;
}

const Service* Plan::service(const std::string& qualified_name) const {
  for (const auto& s : services) {
    if (s.qualified_name == qualified_name) return &s;
  }
  return nullptr;
}

const EventInfo* Plan::event(const std::string& qualified_name) const {
  for (const EventInfo* e : events) {
    if (e->qualified_name == qualified_name) return e;
  }
  return nullptr;
}

}  // namespace flow::plan

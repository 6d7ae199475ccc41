// A readable text dump of a runtime plan (plan.h), for `flowc build
// --emit plan` and the plan goldens (tests/stages): the enums; each event
// with its layout (size, presence bitmap, every field's offset, slot and
// default function); the services with their kind and configuration; the
// flows and their subscriptions as written; the dispatch table, each route
// naming its flow, subscription, condition function and services; the
// rules; and a count of the rule module's contents (`--emit ir` prints
// the functions themselves).
//
// Everything is printed in the plan's own order, so two equal plans print
// the same text and the text does not depend on where the sources lie.
#pragma once

#include <string>

#include "plan/plan.h"

namespace flow::plan {

std::string print_plan(const Plan& plan);

}  // namespace flow::plan

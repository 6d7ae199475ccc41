// The plan section of an artifact: a runtime plan (plan.h) as bytes, and
// back. Little-endian, length-prefixed (support/byte_codec.h); pointers
// become indices: enums, events and types are tables written first, and
// everything after refers to them by position. Records come as names
// before the types (a type may name a record) and as fields after them. Source positions of IR
// nodes are not kept (the runtime never prints them); the texts `explain`
// quotes are.
//
// The reader trusts nothing: every index is checked against its table and
// every enum value against its range, so a malformed section is refused
// with a reason instead of crashing the runtime. (The container's hash
// already refuses corrupt files; this guards against a buggy writer.)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "plan/plan.h"

namespace flow::plan {

/// Bumped whenever the encoding changes. The reader also reads version 1
/// (before records and maps: no record table) and refuses any other.
inline constexpr uint32_t kPlanFormatVersion = 2;

std::string write_plan(const Plan& plan);

/// Reads a plan section; on failure returns null and sets `error`.
std::unique_ptr<Plan> read_plan(std::string_view bytes, std::string& error);

}  // namespace flow::plan

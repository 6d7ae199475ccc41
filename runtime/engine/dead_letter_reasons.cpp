#include "engine/dead_letter_reasons.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "types/types.h"

namespace flow::runtime {

DeadLetterReason dead_letter_reason(AttemptStatus status) {
  switch (status) {
    case AttemptStatus::Ok:  // a final Ok is never dead-lettered
    case AttemptStatus::ServiceError: return DeadLetterReason::Error;
    case AttemptStatus::Timeout: return DeadLetterReason::Timeout;
    case AttemptStatus::Malformed: return DeadLetterReason::InvalidOutput;
    case AttemptStatus::UndeclaredEvent: return DeadLetterReason::UndeclaredEvent;
    case AttemptStatus::InvalidEvent: return DeadLetterReason::InvalidEvent;
    case AttemptStatus::ProcessDied: return DeadLetterReason::ProcessDied;
    case AttemptStatus::StartFailed: return DeadLetterReason::StartFailed;
    case AttemptStatus::Cancelled: return DeadLetterReason::ShutDown;
    case AttemptStatus::HttpStatus: return DeadLetterReason::HttpStatus;
    case AttemptStatus::ConnectionFailed: return DeadLetterReason::Unreachable;
  }
  return DeadLetterReason::Unknown;
}

namespace {

/// "process_died" -> "ProcessDied": the Flow member of a reason's name.
std::string member_name(std::string_view snake) {
  std::string out;
  bool upper = true;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

}  // namespace

ReasonMembers::ReasonMembers(const layout::EventLayout& layout) : field_(layout.field_index("reason")) {
  if (field_ < 0) return;
  const Type* type = layout.fields[static_cast<size_t>(field_)].type;
  if (type->kind != TypeKind::Enum || !type->enum_info) {
    field_ = -1;
    return;
  }
  const EnumInfo& decl = *type->enum_info;
  const int unknown = std::max(decl.member_index("Unknown"), 0);
  for (auto r = static_cast<uint8_t>(DeadLetterReason::Error); r <= static_cast<uint8_t>(kLastDeadLetterReason); ++r) {
    const int index = decl.member_index(member_name(to_string(static_cast<DeadLetterReason>(r))));
    members_.push_back(index >= 0 ? index : unknown);
  }
}

}  // namespace flow::runtime

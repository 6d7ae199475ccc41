// The structured reason of a dead letter (records/journal_records.h): which
// one an exec attempt's failure gives, and how it is set in the
// std.runtime.DeliveryDeadLettered event, whose `reason` field is the Flow
// enum std.runtime.DeadLetterReason with the same members in PascalCase.
#pragma once

#include <cstdint>
#include <vector>

#include "layout/event_layout.h"
#include "records/journal_records.h"
#include "services/attempt_outcome.h"

namespace flow::runtime {

/// The reason a delivery whose last attempt ended with `status` is dead-lettered.
DeadLetterReason dead_letter_reason(AttemptStatus status);

/// The members of the Flow enum in the event's `reason` field, by reason.
class ReasonMembers {
 public:
  ReasonMembers() = default;
  /// From the layout of std.runtime.DeliveryDeadLettered. A definition built
  /// with a standard library that has no `reason` field maps nothing.
  explicit ReasonMembers(const layout::EventLayout& layout);
  /// The field's index, or -1 when it has none.
  int field() const { return field_; }
  /// The member for `reason`; a reason the Flow enum lacks is its `Unknown`.
  int32_t member(DeadLetterReason reason) const { return members_[static_cast<uint8_t>(reason)]; }

 private:
  int field_ = -1;
  std::vector<int32_t> members_;
};

}  // namespace flow::runtime

// Following the journal's records with their names; see record_follower.h.
#include "serve/record_follower.h"

#include "journal/segment_reader.h"

namespace flow::runtime::serve {

bool RecordFollower::next(journal::Record& out, const NameList*& names) {
  if (!tail_.next(out)) return false;
  const uint32_t segment = out.position.segment;
  if (segment != segment_ && out.position.offset != journal::kSegmentHeaderSize) {
    // Entering a segment past its first record: take its list from there.
    journal::SegmentReader first({segment, dir_ / journal::segment_file_name(segment)}, 64u << 10);
    journal::Record head;
    if (first.header_ok() && first.next(head)) names_.observe(segment, head.type, payload(head));
  }
  segment_ = segment;
  names = names_.observe(segment, out.type, payload(out));
  return true;
}

}  // namespace flow::runtime::serve

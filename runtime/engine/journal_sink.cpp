#include "engine/journal_sink.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "records/record_encoder.h"

namespace flow::runtime {

void JournalSink::open(const std::string& dir, journal::FsyncMode fsync, std::ostream& log) {
  journal::WriterOptions options;
  options.fsync = fsync;
  journal::OpenReport report;
  try {
    report = writer_.open(dir, options);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot open the journal: ") + e.what());
  }
  for (const auto& t : report.truncations) {
    log << "flowrt: journal: recovered from a torn tail in " << t.file.string() << " at offset " << t.offset << ": "
        << t.bytes_dropped << " bytes dropped (" << t.detail << ")"
        << (t.saved_to.empty() ? "" : ", saved to " + t.saved_to.string()) << "\n";
  }
}

void JournalSink::list_names(std::span<const std::string_view> texts) {
  std::vector<std::string_view> listed(texts.begin(), texts.end());
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  names_ = std::make_unique<NameRefs>(texts.size());
  for (std::string_view text : texts) {
    const auto at = std::lower_bound(listed.begin(), listed.end(), text);
    names_->add(text, static_cast<uint32_t>(at - listed.begin()));
  }
  try {
    writer_.set_segment_preamble(static_cast<journal::RecordType>(RecordKind::Names), encode_names(listed));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot write to the journal: ") + e.what());
  }
}

bool JournalSink::write_with_id(RecordKind kind, const std::string& encoded, std::string_view event_id) {
  // The encoding is the version byte, the empty id's length (0) and the
  // tail: written as the same version and the id, then the tail.
  const size_t bound = encoded.size() + 10 + event_id.size();
  if (bound > writer_.max_reservable()) return false;
  auto* room = reinterpret_cast<char*>(writer_.reserve(bound));
  RecordRawWriter head(room, names_.get());  // as the remembered encoding was written
  head.str(event_id);
  char* p = head.end();
  std::memcpy(p, encoded.data() + 2, encoded.size() - 2);
  p += encoded.size() - 2;
  writer_.append_reserved(static_cast<journal::RecordType>(kind), static_cast<size_t>(p - room));
  return true;
}

}  // namespace flow::runtime

// What can be wrong with a journal on disk, as data: readers and the writer's
// tail recovery report Problems instead of failing, so a damaged journal can
// always be inspected. JournalError is for failures of the machine itself
// (cannot open, write or sync a file), which the caller cannot read around.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace flow::journal {

class JournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ProblemKind : std::uint8_t {
  ShortRecordHeader,      ///< fewer than 9 bytes left for a record header
  LengthTooLarge,         ///< length field above kMaxPayloadSize
  PastEndOfFile,          ///< length field runs past the end of the file
  ChecksumMismatch,       ///< the record's CRC does not match its bytes
  InvalidRecordType,      ///< a well-formed record of reserved type 0
  BadSegmentHeader,       ///< missing, short or damaged segment header
  SegmentNumberMismatch,  ///< header's segment number differs from the file name
  SequenceMismatch,       ///< header's first sequence does not follow the previous segment
  MissingSegment,         ///< a gap in segment numbers
  UnreadableSegment,      ///< the file could not be opened or read
};

std::string_view to_string(ProblemKind kind);

struct Problem {
  ProblemKind kind = ProblemKind::ChecksumMismatch;
  std::filesystem::path file;
  std::uint32_t segment = 0;
  std::uint64_t offset = 0;  ///< where in the file the problem starts
  std::uint64_t bytes = 0;   ///< bytes from `offset` to the end of the file, left unread
  std::string detail;        ///< one line for people
};

/// "segment-000003.fj @ 4096: checksum-mismatch: ... (120 bytes unread)"
std::string describe(const Problem& problem);

}  // namespace flow::journal

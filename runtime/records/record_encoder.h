// Encoding version 2 (varints, journal_records.h) in two passes over a
// record's fields, for the records the runtime writes by the million:
// RecordSizer bounds the encoded size, RecordRawWriter then writes into
// memory known to have that much room — the journal writer's own buffer —
// with no bounds checks or string growth per field. The field lists are
// record_fields.h's, shared with the decoders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "base/short_copy.h"
#include "records/name_list.h"
#include "records/varint.h"

namespace flow::runtime {

/// At most how many bytes the fields take (varints at their longest).
struct RecordSizer {
  size_t bytes = 1;  // the encoding version
  RecordSizer& i64(int64_t) {
    bytes += 10;
    return *this;
  }
  RecordSizer& u32(uint32_t) {
    bytes += 5;
    return *this;
  }
  RecordSizer& str(std::string_view s) {
    bytes += 5 + s.size();
    return *this;
  }
  RecordSizer& name(std::string_view s) { return str(s); }
  RecordSizer& byte(uint8_t) {
    bytes += 1;
    return *this;
  }
};

/// Writes the fields from `out` on; end() is one past the last byte.
class RecordRawWriter {
 public:
  static constexpr uint8_t kEncodingVersion = 2;
  /// Version 3: name fields may refer to the segment's list (name_list.h).
  static constexpr uint8_t kNamedEncodingVersion = 3;
  /// Version 2, or version 3 with `names` when the record has name fields
  /// and the segment a list.
  explicit RecordRawWriter(char* out, const NameRefs* names = nullptr) : p_(out), names_(names) {
    *p_++ = static_cast<char>(names ? kNamedEncodingVersion : kEncodingVersion);
  }
  RecordRawWriter& i64(int64_t v) {
    varint(varint::zigzag(v));
    return *this;
  }
  RecordRawWriter& u32(uint32_t v) {
    varint(v);
    return *this;
  }
  RecordRawWriter& str(std::string_view s) {
    varint(s.size());
    short_copy(p_, s.data(), s.size());
    p_ += s.size();
    return *this;
  }
  RecordRawWriter& name(std::string_view s) {
    if (!names_) return str(s);
    if (auto index = names_->find(s)) {
      varint(uint64_t{*index} * 2 + 1);
      return *this;
    }
    varint(uint64_t{s.size()} * 2);
    short_copy(p_, s.data(), s.size());
    p_ += s.size();
    return *this;
  }
  RecordRawWriter& byte(uint8_t b) {
    *p_++ = static_cast<char>(b);
    return *this;
  }
  char* end() const { return p_; }

 private:
  void varint(uint64_t v) {
    while (v >= 0x80) {
      *p_++ = static_cast<char>((v & 0x7F) | 0x80);
      v >>= 7;
    }
    *p_++ = static_cast<char>(v);
  }
  char* p_;
  const NameRefs* names_;
};

}  // namespace flow::runtime

// Positioned reads that finish what they start: pread(2) returns fewer
// bytes than asked when it is interrupted or the kernel splits the read, so
// every caller that wants "these bytes at this offset" loops. The journal
// queries fetch records and frame heads this way.
#pragma once

#include <cstddef>
#include <cstdint>

namespace flow {

/// Reads exactly `size` bytes at `offset` of `fd` into `data`, retrying
/// short and interrupted reads. False on an error or when the file ends
/// first.
bool read_at(int fd, void* data, size_t size, uint64_t offset);

}  // namespace flow

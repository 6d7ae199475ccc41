// Reading `flowrt run`'s input (engine.h, run_input): CloudEvents JSON
// lines from a mapped file or, for a pipe or terminal, from read(2) into a
// padded buffer; each line goes to Engine::ingest where it lies.
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "engine/engine.h"
#include "ingress/cloudevent_decoder.h"

namespace flow::runtime {

namespace {

/// A regular file is mapped and its lines are parsed in the mapping: no
/// copy at all (reading it cost as much kernel time as writing the
/// journal). The bytes past the end of the file up to the page boundary
/// read as zeros, so lines ending there are parsed in place too when the
/// page has room for the parser's padding; others are copied. Returns
/// false when the input cannot be mapped (a pipe, a terminal, an empty
/// file): then it is read.
bool run_mapped_input(Engine& engine, int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return false;
  const auto size = static_cast<size_t>(st.st_size);
  void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (mapped == MAP_FAILED) return false;
  ::madvise(mapped, size, MADV_SEQUENTIAL);
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t readable = (size + page - 1) / page * page;  // the last page, zero-filled
  const char* data = static_cast<const char*>(mapped);
  // Pages behind the lines done are dropped from the mapping as it goes
  // (the page cache keeps them): mapped pages count as resident memory,
  // which must not grow with the input.
  constexpr size_t kDropEvery = 8u << 20;
  size_t dropped = 0;
  size_t begin = 0;
  int64_t number = 0;
  try {
    while (begin < size) {
      const void* found = std::memchr(data + begin, '\n', size - begin);
      const size_t end = found ? static_cast<size_t>(static_cast<const char*>(found) - data) : size;
      engine.ingest(std::string_view(data + begin, end - begin), ++number, readable - end);
      begin = end + 1;
      if (begin - dropped >= kDropEvery + page) {
        const size_t upto = begin / page * page;  // whole pages before the next line only
        ::madvise(const_cast<char*>(data) + dropped, upto - dropped, MADV_DONTNEED);
        dropped = upto;
      }
    }
  } catch (...) {
    ::munmap(mapped, size);
    throw;
  }
  ::munmap(mapped, size);
  engine.drain();
  return true;
}

}  // namespace

void run_input(Engine& engine, int fd) {
  if (run_mapped_input(engine, fd)) return;
  // Lines are split in a large buffer filled by read(2), which returns what
  // is there: a pipe's lines are processed as they come, a file's in
  // blocks, and no line is copied before it is decoded. While no input
  // comes, the deliveries in flight go on. The buffer keeps
  // the JSON parser's padding readable after its last byte, so every line
  // is parsed where it lies.
  constexpr size_t kPadding = CloudEventDecoder::kPadding;
  size_t capacity = 1u << 20;
  std::vector<char> buffer(capacity + kPadding);
  size_t begin = 0, end = 0;
  int64_t number = 0;
  while (true) {
    if (end == capacity) {
      if (begin > 0) {  // make room: move the partial line to the front
        std::memmove(buffer.data(), buffer.data() + begin, end - begin);
        end -= begin;
        begin = 0;
      } else {  // one line longer than the buffer
        capacity *= 2;
        buffer.resize(capacity + kPadding);
      }
    }
    engine.await_input(fd);
    const ssize_t got = ::read(fd, buffer.data() + end, capacity - end);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("cannot read the input: ") + std::strerror(errno));
    }
    if (got == 0) break;
    size_t scan = end;
    end += static_cast<size_t>(got);
    while (const void* found = std::memchr(buffer.data() + scan, '\n', end - scan)) {
      const size_t newline = static_cast<size_t>(static_cast<const char*>(found) - buffer.data());
      engine.ingest(std::string_view(buffer.data() + begin, newline - begin), ++number, buffer.size() - newline);
      begin = scan = newline + 1;
    }
    if (begin == end) begin = end = 0;
  }
  if (end > begin) {  // the last line, without a newline
    engine.ingest(std::string_view(buffer.data() + begin, end - begin), ++number, buffer.size() - end);
  }
  engine.drain();
}

}  // namespace flow::runtime

// Implementation of the journal test helpers; see test_support.h.
#include "test_support.h"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace flow::journal::test {

TempDir::TempDir(Where where) {
  std::filesystem::path base = std::filesystem::temp_directory_path();
  if (where == Where::Memory && ::access("/dev/shm", W_OK) == 0) base = "/dev/shm";
  std::string pattern = (base / "flow-journal-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string make_payload(std::uint64_t seed, std::size_t size) {
  std::string out(size, '\0');
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  for (char& c : out) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    c = static_cast<char>(state);
  }
  return out;
}

std::span<const std::byte> as_bytes(std::string_view text) {
  return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

std::vector<std::byte> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) out[i] = static_cast<std::byte>(chars[i]);
  return out;
}

void write_file(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void truncate_file(const std::filesystem::path& path, std::uint64_t size) {
  std::filesystem::resize_file(path, size);
}

ReadBack read_all(const std::filesystem::path& dir, CorruptionPolicy policy) {
  ReadBack out;
  JournalReader reader(dir, ReaderOptions{policy});
  Record record;
  while (reader.next(record)) {
    out.records.push_back(
        Stored{record.type, std::string(reinterpret_cast<const char*>(record.payload.data()), record.payload.size()),
               record.position});
  }
  out.problems = reader.problems();
  out.stopped = reader.stopped();
  return out;
}

}  // namespace flow::journal::test

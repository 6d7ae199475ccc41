// Positioned reads (compiler/base/read_at.h): whole ranges anywhere in
// a file, and false past its end.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/read_at.h"

TEST_CASE("read_at reads exactly the range asked for, or says it cannot", "[base][io]") {
  const auto path = std::filesystem::temp_directory_path() / ("read_at_test." + std::to_string(::getpid()));
  std::string content;
  for (int i = 0; i < 100000; ++i) content += static_cast<char>('a' + i % 26);
  std::ofstream(path, std::ios::binary) << content;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  std::string buffer(content.size(), '\0');
  CHECK(flow::read_at(fd, buffer.data(), content.size(), 0));
  CHECK(buffer == content);
  CHECK(flow::read_at(fd, buffer.data(), 7, 99990));
  CHECK(buffer.substr(0, 7) == content.substr(99990, 7));
  CHECK(flow::read_at(fd, buffer.data(), 0, content.size()));
  CHECK_FALSE(flow::read_at(fd, buffer.data(), 11, 99990));  // runs past the end
  CHECK_FALSE(flow::read_at(-1, buffer.data(), 1, 0));
  ::close(fd);
  std::filesystem::remove(path);
}

// Making service output safe to quote in logs, errors and the journal: a
// bounded prefix that does not split a UTF-8 sequence, with control bytes
// (and, in invalid UTF-8, high bytes) shown as '?'.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace flow::runtime {

/// The longest prefix of `text` of at most `max_bytes` that does not end in
/// the middle of a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

/// `text` without a UTF-8 sequence left incomplete at its end (text that
/// was cut by a byte count elsewhere).
std::string_view drop_incomplete_utf8_tail(std::string_view text);

/// At most `max_bytes` of `text`, printable, with "..." when cut.
std::string printable_snippet(std::string_view text, std::size_t max_bytes = 200);

}  // namespace flow::runtime

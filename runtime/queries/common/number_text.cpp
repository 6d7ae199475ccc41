// Keeping the text of numbers in printed event data (number_text.h).
#include "queries/common/number_text.h"

namespace flow::runtime::queries {

namespace {

/// The marker as nlohmann prints it, after the string's opening quote.
constexpr std::string_view kPrintedMarker = "\"\\u0001\\u0002flow-number\\u0003";

bool ends_number(char c) {
  return !(c >= '0' && c <= '9') && c != '.' && c != 'e' && c != 'E';
}

}  // namespace

std::string mark_negative_zeros(const std::string& text) {
  std::string out;
  bool in_string = false;
  size_t copied = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '0' &&
               (i + 2 == text.size() || ends_number(text[i + 2]))) {
      out.append(text, copied, i - copied);
      out += "\"";
      out += "\\u0001\\u0002flow-number\\u0003-0\"";
      copied = i + 2;
      ++i;
    }
  }
  if (copied == 0) return text;
  out.append(text, copied, std::string::npos);
  return out;
}

std::string restore_numbers(std::string printed) {
  for (size_t at = printed.find(kPrintedMarker); at != std::string::npos; at = printed.find(kPrintedMarker, at)) {
    const size_t end = printed.find('"', at + kPrintedMarker.size());
    if (end == std::string::npos) break;
    printed = printed.substr(0, at) + printed.substr(at + kPrintedMarker.size(), end - at - kPrintedMarker.size()) +
              printed.substr(end + 1);
  }
  return printed;
}

}  // namespace flow::runtime::queries

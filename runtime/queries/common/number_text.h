// Event data as the query commands print it keeps the text of its numbers.
// nlohmann's JSON holds a number as a double or an integer, so `12.50`
// would print as `12.5` and a decimal of 30 digits lose its tail. Here a
// number with a fraction or exponent (and `-0`, which nlohmann reads as the
// integer 0) is read as a string holding a marker and its raw text, and the
// printed text gets the raw text back: a decimal prints as journaled, at
// any depth of records, lists and maps. Integers print the same either way.
//
// Limits: a string in the data that itself holds the marker (three control
// characters no encoder writes) would be printed as a number.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace flow::runtime::queries {

/// The marker a kept number's text follows, inside a string.
inline constexpr std::string_view kNumberMarker =
    "\x01\x02"
    "flow-number\x03";

/// `text` with each `-0` integer token (outside strings) turned into a
/// marked string, so that the parser keeps its sign.
std::string mark_negative_zeros(const std::string& text);

template <typename Json>
struct NumberTextParser : nlohmann::detail::json_sax_dom_parser<Json> {
  using nlohmann::detail::json_sax_dom_parser<Json>::json_sax_dom_parser;
  bool number_float(double, const std::string& text) {
    std::string marked = std::string(kNumberMarker) + text;
    return this->string(marked);
  }
};

/// `text` as JSON with the raw text of its non-integer numbers kept; false
/// when it is not JSON.
template <typename Json>
bool parse_keeping_numbers(const std::string& text, Json& out) {
  NumberTextParser<Json> parser(out, false);
  const std::string marked = mark_negative_zeros(text);
  return Json::sax_parse(marked, &parser, nlohmann::detail::input_format_t::json, false) && !out.is_discarded();
}

/// Printed JSON (any indentation) with each marked number replaced by its
/// raw text.
std::string restore_numbers(std::string printed);

}  // namespace flow::runtime::queries

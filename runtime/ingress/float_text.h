// Floats as JSON text, in the one form the encoder writes (event_encoder.h):
// the shortest text that reads back to the same double, ".0" added to
// integral values, null for NaN and the infinities. A part of its own
// because two sides need the very same text: the encoder, which writes it,
// and the express tier (express_decoder.h), which checks whether a float's
// text in a line is already that form (and then hands the text over instead
// of a value to format again).
//
// Limits: no locale, no precision option; JSON has no text for non-finite
// values, so they become null.
#pragma once

#include <cstddef>

namespace flow::runtime {

/// Room write_float_text may use.
constexpr size_t kMaxFloatText = 40;

/// Writes `d` as the encoder writes a float ("1.67", "120.0", "1e+16",
/// "null") to `out` (room for kMaxFloatText bytes); returns the end.
char* write_float_text(double d, char* out);

}  // namespace flow::runtime

// Renders diagnostics for people (a modern compiler's layout, colour only on
// a terminal) or for tools (one JSON object per line).
#pragma once

#include <ostream>

#include "diag/diagnostic.h"

namespace flow {

struct PrintOptions {
  bool colour = false;
};

void print_human(std::ostream& out, const Diagnostic& diagnostic, const PrintOptions& options);
void print_json(std::ostream& out, const Diagnostic& diagnostic);

}  // namespace flow

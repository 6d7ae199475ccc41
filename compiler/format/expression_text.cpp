// One expression on one line (expression_text.h): the Printer with
// Layout::kOneLine.
#include "format/expression_text.h"

#include <vector>

#include "format/printer.h"

namespace flow::format {

std::string expression_text(const ast::Expr& e) {
  static const std::vector<Comment> kNoComments;
  Printer printer(*e.range.file, kNoComments, Layout::kOneLine);
  return printer.print_expression(e);
}

}  // namespace flow::format

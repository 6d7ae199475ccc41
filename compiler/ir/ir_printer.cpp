// The IR printer. A node prints on one line when that line stays short;
// otherwise its operands go on their own lines, indented two spaces.
#include "ir/ir_printer.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/time_format.h"

namespace flow::ir {

namespace {

constexpr size_t kLineWidth = 100;

std::string format_float(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  std::string text = buffer;
  // Shortest form that reads back the same value.
  for (int precision = 1; precision < 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) {
      text = buffer;
      break;
    }
  }
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

/// The head of a node: op, type and attributes, without operands.
std::string head(const Node& node) {
  std::string out = std::string(to_string(node.op)) + ":" + node.type->to_string();
  switch (node.op) {
    case Op::ConstBool: out += node.int_value ? " true" : " false"; break;
    case Op::ConstInt: out += " " + std::to_string(node.int_value); break;
    case Op::ConstFloat: out += " " + format_float(node.float_value); break;
    case Op::ConstString: out += " " + quote(node.str_value); break;
    case Op::ConstDecimal: out += " " + node.str_value + "d"; break;
    case Op::ConstTimestamp: out += " @" + format_timestamp(node.int_value); break;
    case Op::ConstDuration: out += " " + format_duration(node.int_value); break;
    case Op::ConstEnum: out += " #" + std::to_string(node.index); break;
    case Op::Local:
    case Op::Let: out += " $" + std::to_string(node.index); break;
    case Op::LoadField: out += " #" + std::to_string(node.index) + " @" + std::to_string(node.offset); break;
    case Op::Call: out += " fn" + std::to_string(node.index); break;
    case Op::Matches: out += " re" + std::to_string(node.index); break;
    case Op::ListContains:
      if (node.flag) out += " promote";
      break;
    default:
      if (is_list_function(node.op)) out += " $" + std::to_string(node.index);  // the lambda's parameter
      break;
  }
  return out;
}

std::string one_line(const Node& node) {
  std::string out = "(" + head(node);
  for (const auto& operand : node.operands) out += " " + one_line(*operand);
  return out + ")";
}

void print(const Node& node, int indent, std::string& out) {
  std::string line = one_line(node);
  if (line.size() + static_cast<size_t>(indent) <= kLineWidth || node.operands.empty()) {
    out += std::string(static_cast<size_t>(indent), ' ') + line + "\n";
    return;
  }
  out += std::string(static_cast<size_t>(indent), ' ') + "(" + head(node) + "\n";
  for (const auto& operand : node.operands) print(*operand, indent + 2, out);
  out.back() = ')';
  out += "\n";
}

}  // namespace

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      char buffer[12];
      std::snprintf(buffer, sizeof buffer, "\\u{%x}", c);
      out += buffer;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string print_node(const Node& node) {
  std::string out;
  print(node, 0, out);
  return out;
}

std::string print_function(const Function& fn) {
  std::string out = "fn" + std::to_string(fn.id) + " " + fn.name + "(";
  if (fn.event) out += "event: " + fn.event->name;
  out += ") -> " + (fn.result ? fn.result->to_string() : std::string("?"));
  if (fn.local_count) out += " locals " + std::to_string(fn.local_count);
  out += "\n";
  if (!fn.body) return out + "  <not lowered>\n";
  std::string body;
  print(*fn.body, 2, body);
  return out + body;
}

std::string print_module(const Module& module) {
  std::string out;
  for (size_t i = 0; i < module.regexes.size(); ++i) {
    out += "re" + std::to_string(i) + " = " + quote(module.regexes[i]) + "\n";
  }
  if (!module.regexes.empty()) out += "\n";
  for (const auto& fn : module.functions) out += print_function(*fn) + "\n";
  for (const auto& plan : module.emits) {
    out += "emit " + plan.service + "#" + std::to_string(plan.emit_index) + "[" + plan.trigger->name + "] -> " +
           plan.target->name;
    if (plan.guard >= 0) out += " when fn" + std::to_string(plan.guard);
    out += "\n";
    for (size_t i = 0; i < plan.fields.size(); ++i) {
      const auto& source = plan.fields[i];
      out += "  " + plan.target->fields[i].name + " = ";
      switch (source.kind) {
        case EmitPlan::Source::Init: out += "fn" + std::to_string(source.function); break;
        case EmitPlan::Source::Default: out += "default fn" + std::to_string(source.function); break;
        case EmitPlan::Source::Absent: out += "none"; break;
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace flow::ir

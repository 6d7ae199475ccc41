// `flowc graph`: draws a checked program's flows as a Graphviz DOT or a
// Mermaid flowchart. Events and services are nodes; a subscription
// `on E when C -> S` is an edge E -> S labelled with C as `flowc fmt` prints
// it (on one line, without comments), and a
// service's `publishes` are edges S -> event. Start, accepts and end events
// are marked. The exact output conventions are documented in graph_writer.cpp.
#pragma once

#include <iosfwd>
#include <string>

namespace flow {

struct Program;

enum class GraphFormat { Dot, Mermaid };

struct GraphOptions {
  GraphFormat format = GraphFormat::Dot;
  /// The flow to draw, by qualified (`shop.orders.OrderToCash`) or plain
  /// (`OrderToCash`) name; empty draws every flow of the program.
  std::string flow;
};

/// Writes the graph of `program` to `out`. Returns false, and writes nothing,
/// when `options.flow` names no flow (or a plain name that several modules
/// declare: then only the qualified name selects one); the caller reports it.
/// Best drawn from a program that checked without errors; unresolved names
/// in a program with errors are left out rather than drawn wrongly.
bool write_graph(std::ostream& out, const Program& program, const GraphOptions& options);

}  // namespace flow

// The graph writer behind `flowc graph`. It works in two steps: build a
// format-neutral model (which nodes, which edges, which markings), then print
// that model as DOT or Mermaid. Keeping the selection logic out of the
// printers means both formats always show the same graph.
//
// Conventions (both formats):
// - Events are ellipses (DOT) / stadiums (Mermaid); services are boxes.
// - Node ids are `ev_` / `svc_` plus the qualified name with every character
//   outside [A-Za-z0-9_] replaced by `_`; a numeric suffix keeps them unique
//   should two sanitized names collide. The prefixes also keep ids clear of
//   DOT keywords and of Mermaid's `end`.
// - Labels show the plain name; when two drawn nodes (or two flows) share a
//   plain name (declared in different modules) their qualified names are shown.
// - A service reached over the network shows where in its label: "(http
//   HOST[:PORT])" for an `http` service (the URL's authority; the path is
//   in the source).
// - Start events: green fill, thick border, "(start)" in the label.
//   Accepts events: dashed border, "(accepts)". End events: double border in
//   DOT, thick dark border in Mermaid, "(end)". Roles combine: "(start, end)".
// - Subscription edges carry the condition as `flowc fmt` prints it, on one
//   line and without comments (format/expression_text.h); unconditional ones
//   have no label. Publication edges (service -> event) have no label.
// - Doc comments become DOT `tooltip`s. Mermaid has no portable tooltip (its
//   `click` tooltips need interactivity and a relaxed security level), so a
//   doc comment is written as `%%` comment lines just before the node.
// - Selection: with a flow name, only that flow: its starts, accepts and ends,
//   its subscriptions' events and services, and what those services publish.
//   Without one, every flow; when there are several, each flow is a cluster
//   (DOT) / subgraph (Mermaid) holding the nodes only it touches, and nodes
//   shared by several flows are drawn once, outside every cluster.
// - Order is declaration (load) order throughout, so output is deterministic.
#include "graph/graph_writer.h"

#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "ast/ast.h"
#include "check/program.h"
#include "format/expression_text.h"

namespace flow {

namespace {

enum Role : unsigned { kStart = 1u, kAccepts = 2u, kEnd = 4u };

struct Node {
  const ast::Decl* decl = nullptr;
  bool is_event = false;
  unsigned roles = 0;
  std::string id;
  std::string label;  // display name (roles are added by the printers)
  std::string where;  // services: "(http HOST)" for an http service, else empty
  int cluster = -1;   // index of the flow whose cluster holds it; -1: top level
};

struct Edge {
  size_t from = 0, to = 0;  // node indices
  std::string label;        // condition text; empty when none
  int flow = -1;            // the subscription's flow; -1 for publications
};

struct Cluster {
  const ast::FlowDecl* flow = nullptr;
  std::string id;
  std::string label;
};

struct Graph {
  std::vector<Cluster> flows;  // the selected flows
  bool clustered = false;      // draw each flow as a cluster/subgraph
  std::vector<Node> nodes;     // events, then services, each in declaration order
  std::vector<Edge> edges;     // subscriptions in flow order, then publications
};

// ---- Condition text -------------------------------------------------------

/// The condition as `flowc fmt` prints it, on one line without comments.
std::string condition_label(const ast::Expr& condition) {
  return format::expression_text(condition);
}

// ---- Model ----------------------------------------------------------------

/// `prefix` + the qualified name made into an identifier valid in both DOT
/// and Mermaid, unique among `taken`.
std::string make_id(const std::string& prefix, const std::string& qualified, std::set<std::string>& taken) {
  std::string id = prefix;
  for (char c : qualified) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    id += word ? c : '_';
  }
  std::string unique = id;
  for (int n = 2; !taken.insert(unique).second; ++n) unique = id + "_" + std::to_string(n);
  return unique;
}

/// Plain names, or qualified names for those whose plain name is not unique
/// among `decls` (same name declared in different modules).
std::vector<std::string> display_names(const std::vector<const ast::Decl*>& decls) {
  std::map<std::string, int> count;
  for (const auto* d : decls) ++count[d->name];
  std::vector<std::string> names;
  for (const auto* d : decls) names.push_back(count[d->name] > 1 ? d->qualified_name() : d->name);
  return names;
}

/// The flow selected by name: an exact qualified name, else a plain name
/// that exactly one flow has. Null when none (or several) match.
const ast::FlowDecl* find_flow(const std::vector<const ast::FlowDecl*>& flows, const std::string& name) {
  for (const auto* f : flows) {
    if (f->qualified_name() == name) return f;
  }
  const ast::FlowDecl* found = nullptr;
  for (const auto* f : flows) {
    if (f->name != name) continue;
    if (found) return nullptr;  // ambiguous: the qualified name must be used
    found = f;
  }
  return found;
}

const ast::EventDecl* event_of(const ast::QualifiedName& name) {
  return ast::dyn_cast<ast::EventDecl>(name.resolved);
}
const ast::ServiceDecl* service_of(const ast::QualifiedName& name) {
  return ast::dyn_cast<ast::ServiceDecl>(name.resolved);
}

/// "(http HOST[:PORT])" for an http service, else "".
std::string service_location(const ast::Decl& decl) {
  const auto* svc = ast::dyn_cast<ast::ServiceDecl>(&decl);
  if (!svc || svc->impl != ast::ServiceImpl::Http) return "";
  std::string_view url = svc->http_url;
  const size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) url.remove_prefix(scheme_end + 3);
  return "(http " + std::string(url.substr(0, url.find_first_of("/?#"))) + ")";
}

Graph build_graph(const Program& program, const std::vector<const ast::FlowDecl*>& flows) {
  Graph graph;

  // Which nodes each selected flow touches, and the roles of events.
  struct Touch {
    unsigned roles = 0;
    std::set<int> flows;
  };
  std::map<const ast::Decl*, Touch> touched;
  for (int fi = 0; fi < static_cast<int>(flows.size()); ++fi) {
    const ast::FlowDecl& flow = *flows[fi];
    auto mark = [&](const std::vector<ast::QualifiedName>& names, unsigned role) {
      for (const auto& name : names) {
        if (const auto* ev = event_of(name)) {
          touched[ev].roles |= role;
          touched[ev].flows.insert(fi);
        }
      }
    };
    mark(flow.starts, kStart);
    mark(flow.accepts, kAccepts);
    mark(flow.ends, kEnd);
    for (const auto& sub : flow.subscriptions) {
      if (const auto* ev = event_of(sub.event)) touched[ev].flows.insert(fi);
      for (const auto& svc_name : sub.services) {
        const auto* svc = service_of(svc_name);
        if (!svc) continue;
        touched[svc].flows.insert(fi);
        // What the service publishes is part of the picture: it is how the
        // flow moves on from one event to the next.
        for (const auto& pub : svc->publishes) {
          if (const auto* ev = event_of(pub)) touched[ev].flows.insert(fi);
        }
      }
    }
  }

  graph.clustered = flows.size() > 1;
  std::set<std::string> ids;
  {
    std::vector<const ast::Decl*> flow_decls(flows.begin(), flows.end());
    std::vector<std::string> names = display_names(flow_decls);
    for (size_t i = 0; i < flows.size(); ++i) {
      graph.flows.push_back({flows[i], make_id("cluster_flow_", flows[i]->qualified_name(), ids), names[i]});
    }
  }

  // Nodes in declaration order: iterate the program's declarations rather
  // than the (pointer-ordered) map.
  std::vector<const ast::Decl*> decls;
  for (const auto* ev : program.all<ast::EventDecl>()) {
    if (touched.count(ev)) decls.push_back(ev);
  }
  for (const auto* svc : program.all<ast::ServiceDecl>()) {
    if (touched.count(svc)) decls.push_back(svc);
  }
  std::vector<std::string> labels = display_names(decls);
  std::map<const ast::Decl*, size_t> index;
  for (size_t i = 0; i < decls.size(); ++i) {
    const Touch& t = touched[decls[i]];
    Node node;
    node.decl = decls[i];
    node.is_event = ast::isa<ast::EventDecl>(decls[i]);
    node.roles = t.roles;
    node.id = make_id(node.is_event ? "ev_" : "svc_", decls[i]->qualified_name(), ids);
    node.label = labels[i];
    node.where = service_location(*decls[i]);
    if (graph.clustered && t.flows.size() == 1) node.cluster = *t.flows.begin();
    index[decls[i]] = i;
    graph.nodes.push_back(std::move(node));
  }

  for (int fi = 0; fi < static_cast<int>(flows.size()); ++fi) {
    for (const auto& sub : flows[fi]->subscriptions) {
      const auto* ev = event_of(sub.event);
      if (!ev) continue;
      std::string label = sub.condition ? condition_label(*sub.condition) : std::string();
      for (const auto& svc_name : sub.services) {
        if (const auto* svc = service_of(svc_name)) graph.edges.push_back({index[ev], index[svc], label, fi});
      }
    }
  }
  // Publications once per service, however many flows use it.
  std::set<std::pair<size_t, size_t>> published;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const auto* svc = ast::dyn_cast<ast::ServiceDecl>(graph.nodes[i].decl);
    if (!svc) continue;
    for (const auto& pub : svc->publishes) {
      const auto* ev = event_of(pub);
      if (ev && published.insert({i, index[ev]}).second) graph.edges.push_back({i, index[ev], {}, -1});
    }
  }
  return graph;
}

/// "(start, end)" for the roles set, or "" for none.
std::string role_text(unsigned roles) {
  std::string out;
  for (auto [role, word] : {std::pair{kStart, "start"}, std::pair{kAccepts, "accepts"}, std::pair{kEnd, "end"}}) {
    if (!(roles & role)) continue;
    out += out.empty() ? "(" : ", ";
    out += word;
  }
  return out.empty() ? out : out + ")";
}

// ---- DOT ------------------------------------------------------------------

/// Text for inside a DOT double-quoted string. Backslashes are doubled so no
/// escString sequence (\N, \l, ...) is triggered by accident, and `&` is
/// written as an entity because Graphviz decodes entities in labels.
std::string dot_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '&': out += "&amp;"; break;
      case '\r': break;
      default: out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
  }
  return out;
}

std::string dot_quote(std::string_view s) {
  return "\"" + dot_escape(s) + "\"";
}

void write_dot_node(std::ostream& out, const Node& node, const std::string& indent) {
  std::string label = node.label;
  std::vector<std::string> style, colors;
  std::string shape = "box";
  if (node.is_event) {
    shape = "ellipse";
    std::string roles = role_text(node.roles);
    if (!roles.empty()) label += "\n" + roles;
    // Start wins the fill when an event is both a start and an end (of
    // different flows); the double border still shows the end.
    if (node.roles & kStart) {
      style.push_back("filled");
      colors = {"fillcolor=\"#dff5df\"", "color=\"#2e7d32\"", "penwidth=2.5"};
    } else if (node.roles & kEnd) {
      style.push_back("filled");
      colors = {"fillcolor=\"#eeeeee\""};
    }
    if (node.roles & kAccepts) style.push_back("dashed");
    if (node.roles & kEnd) colors.push_back("peripheries=2");
  } else {
    if (!node.where.empty()) label += "\n" + node.where;
    style = {"rounded", "filled"};
    colors = {"fillcolor=\"#e8eef9\""};
  }
  out << indent << node.id << " [shape=" << shape << ", label=" << dot_quote(label);
  if (!style.empty()) {
    out << ", style=\"";
    for (size_t i = 0; i < style.size(); ++i) out << (i ? "," : "") << style[i];
    out << "\"";
  }
  for (const auto& attr : colors) out << ", " << attr;
  if (!node.decl->doc.empty()) out << ", tooltip=" << dot_quote(node.decl->doc);
  out << "];\n";
}

void write_dot(std::ostream& out, const Graph& graph) {
  out << "// Generated by flowc graph. Events are ellipses (start: green, accepts: dashed,\n"
         "// end: double border), services are boxes, edge labels are conditions.\n";
  out << "digraph flow {\n";
  out << "  graph [rankdir=LR, fontname=\"Helvetica\"";
  if (!graph.clustered && graph.flows.size() == 1) {
    // A single flow: its name titles the whole drawing.
    out << ", label=" << dot_quote(graph.flows[0].label) << ", labelloc=t";
    if (!graph.flows[0].flow->doc.empty()) out << ", tooltip=" << dot_quote(graph.flows[0].flow->doc);
  }
  out << "];\n";
  out << "  node [fontname=\"Helvetica\", fontsize=11];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=9];\n";

  // Nodes are declared inside their cluster before any edge mentions them:
  // Graphviz puts a node in the subgraph where it first appears.
  for (size_t c = 0; c < graph.flows.size() && graph.clustered; ++c) {
    const Cluster& cluster = graph.flows[c];
    out << "\n  subgraph " << cluster.id << " {\n";
    out << "    label=" << dot_quote(cluster.label) << ";\n";
    out << "    style=\"rounded\";\n    color=\"#9e9e9e\";\n";
    if (!cluster.flow->doc.empty()) out << "    tooltip=" << dot_quote(cluster.flow->doc) << ";\n";
    for (const auto& node : graph.nodes) {
      if (node.cluster == static_cast<int>(c)) write_dot_node(out, node, "    ");
    }
    out << "  }\n";
  }
  if (!graph.nodes.empty()) out << "\n";
  for (const auto& node : graph.nodes) {
    if (node.cluster < 0) write_dot_node(out, node, "  ");
  }

  if (!graph.edges.empty()) out << "\n";
  for (const auto& edge : graph.edges) {
    out << "  " << graph.nodes[edge.from].id << " -> " << graph.nodes[edge.to].id;
    std::vector<std::string> attrs;
    if (!edge.label.empty()) attrs.push_back("label=" + dot_quote(edge.label));
    // With several flows an edge between shared nodes does not show which
    // flow it belongs to; the tooltip says.
    if (graph.clustered && edge.flow >= 0) {
      std::string tip = "flow " + graph.flows[edge.flow].label;
      if (!edge.label.empty()) tip += ": when " + edge.label;
      attrs.push_back("tooltip=" + dot_quote(tip));
    }
    if (!attrs.empty()) {
      out << " [";
      for (size_t i = 0; i < attrs.size(); ++i) out << (i ? ", " : "") << attrs[i];
      out << "]";
    }
    out << ";\n";
  }
  out << "}\n";
}

// ---- Mermaid --------------------------------------------------------------

/// Text for inside a Mermaid double-quoted string. Mermaid decodes `#name;`
/// entity codes and renders labels as HTML, so quotes, `#`, `&`, `<`, `>`
/// and the edge-label delimiter `|` are written as entity codes; newlines
/// become spaces (callers join lines with <br/> themselves).
std::string mermaid_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '#': out += "#35;"; break;
      case '&': out += "#amp;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '|': out += "#124;"; break;
      case '`': out += "#96;"; break;
      default: out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
  }
  return out;
}

/// A doc comment as `%%` comment lines (Mermaid comments are whole lines).
void write_mermaid_doc(std::ostream& out, const std::string& doc, const std::string& indent) {
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    for (char& c : line) {
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    out << indent << "%% " << line << "\n";
  }
}

void write_mermaid_node(std::ostream& out, const Node& node, const std::string& indent) {
  if (!node.decl->doc.empty()) write_mermaid_doc(out, node.decl->doc, indent);
  std::string label = mermaid_escape(node.label);
  if (node.is_event) {
    std::string roles = role_text(node.roles);
    if (!roles.empty()) label += "<br/>" + mermaid_escape(roles);
    out << indent << node.id << "([\"" << label << "\"])\n";
  } else {
    if (!node.where.empty()) label += "<br/>" + mermaid_escape(node.where);
    out << indent << node.id << "[\"" << label << "\"]\n";
  }
}

void write_mermaid(std::ostream& out, const Graph& graph) {
  if (!graph.clustered && graph.flows.size() == 1) {
    // Front matter title; flow names are identifiers, safe as plain YAML.
    out << "---\ntitle: " << graph.flows[0].label << "\n---\n";
  }
  out << "flowchart LR\n";
  out << "  %% Generated by flowc graph. Events are stadiums (start: green, accepts: dashed,\n"
         "  %% end: thick border), services are rectangles, edge labels are conditions.\n";
  if (!graph.clustered && graph.flows.size() == 1 && !graph.flows[0].flow->doc.empty()) {
    write_mermaid_doc(out, graph.flows[0].flow->doc, "  ");
  }

  // All nodes first, edges after every subgraph: Mermaid, like Graphviz,
  // places a node in the subgraph where it is first mentioned.
  for (size_t c = 0; c < graph.flows.size() && graph.clustered; ++c) {
    const Cluster& cluster = graph.flows[c];
    if (!cluster.flow->doc.empty()) write_mermaid_doc(out, cluster.flow->doc, "  ");
    out << "  subgraph " << cluster.id << "[\"" << mermaid_escape(cluster.label) << "\"]\n";
    for (const auto& node : graph.nodes) {
      if (node.cluster == static_cast<int>(c)) write_mermaid_node(out, node, "    ");
    }
    out << "  end\n";
  }
  for (const auto& node : graph.nodes) {
    if (node.cluster < 0) write_mermaid_node(out, node, "  ");
  }

  for (const auto& edge : graph.edges) {
    out << "  " << graph.nodes[edge.from].id << " -->";
    if (!edge.label.empty()) out << "|\"" << mermaid_escape(edge.label) << "\"|";
    out << " " << graph.nodes[edge.to].id << "\n";
  }

  // Markings as classes. `end` is a Mermaid keyword, hence the *Event names.
  struct Marking {
    unsigned role;
    const char* name;
    const char* style;
  };
  static const Marking markings[] = {
      {kStart, "startEvent", "fill:#dff5df,stroke:#2e7d32,stroke-width:3px"},
      {kAccepts, "acceptsEvent", "stroke-dasharray:5 5"},
      {kEnd, "endEvent", "fill:#eeeeee,stroke:#333333,stroke-width:4px"},
  };
  for (const auto& m : markings) {
    std::string members;
    for (const auto& node : graph.nodes) {
      if (node.roles & m.role) members += (members.empty() ? "" : ",") + node.id;
    }
    if (members.empty()) continue;
    out << "  classDef " << m.name << " " << m.style << "\n";
    out << "  class " << members << " " << m.name << "\n";
  }
  bool has_service = false;
  for (const auto& node : graph.nodes) has_service = has_service || !node.is_event;
  if (has_service) {
    std::string members;
    for (const auto& node : graph.nodes) {
      if (!node.is_event) members += (members.empty() ? "" : ",") + node.id;
    }
    out << "  classDef serviceNode fill:#e8eef9,stroke:#4a6fa5\n";
    out << "  class " << members << " serviceNode\n";
  }
}

}  // namespace

bool write_graph(std::ostream& out, const Program& program, const GraphOptions& options) {
  std::vector<const ast::FlowDecl*> flows = program.all<ast::FlowDecl>();
  if (!options.flow.empty()) {
    const ast::FlowDecl* selected = find_flow(flows, options.flow);
    if (!selected) return false;
    flows = {selected};
  }
  Graph graph = build_graph(program, flows);
  if (options.format == GraphFormat::Dot) {
    write_dot(out, graph);
  } else {
    write_mermaid(out, graph);
  }
  return true;
}

}  // namespace flow

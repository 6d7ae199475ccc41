// Tests for the graph writer (`flowc graph`): which nodes and edges are
// drawn, how starts/accepts/ends are marked, how --flow filters, and that
// labels are escaped for DOT and Mermaid. Programs are compiled from
// in-memory sources through the real front end, so the writer is tested on
// the same annotated AST the driver gives it.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "check/program.h"
#include "diag/diagnostic.h"
#include "graph/graph_writer.h"

using namespace flow;
using Catch::Matchers::Contains;

namespace {

std::unique_ptr<Program> compile(const std::vector<std::pair<std::string, std::string>>& sources) {
  DiagnosticEngine diags;
  auto program = compile_sources(sources, {}, diags);
  std::string messages;
  for (const auto& d : diags.diagnostics()) {
    if (d.severity == Severity::Error) messages += diag_info(d.kind).code + std::string(": ") + d.message + "\n";
  }
  INFO(messages);
  REQUIRE(program);
  REQUIRE(program->ok);
  return program;
}

std::string graph(const Program& program, GraphFormat format, const std::string& flow = "") {
  std::ostringstream out;
  GraphOptions options;
  options.format = format;
  options.flow = flow;
  REQUIRE(write_graph(out, program, options));
  return out.str();
}

/// The whole output line that contains `needle` (empty when none): lets a
/// test check a node's attributes without depending on their order.
std::string line_with(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return {};
  size_t begin = text.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  size_t end = text.find('\n', at);
  return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

bool before(const std::string& text, const std::string& first, const std::string& second) {
  size_t a = text.find(first), b = text.find(second);
  return a != std::string::npos && b != std::string::npos && a < b;
}

// The example of language.md §1, minus what the graph does not draw.
const char* kShop = R"(module shop.orders

/// A customer placed an order. Starts the order-to-cash process.
event OrderPlaced {
  key order_id: string
  customer: string
  country: string
  amount: float
}
event OrderApproved  { ...OrderPlaced, approved_by: string }
event OrderRejected  { ...OrderPlaced, reason: string }
event ReviewRequested { ...OrderPlaced, risk: string }
event PaymentCaptured { ...OrderApproved, payment_id: string }

const REVIEW_LIMIT = 1000.0
rule HighValue(o: OrderPlaced)   = o.amount > REVIEW_LIMIT
rule Domestic(o: OrderPlaced)    = o.country in ["NL", "BE", "LU"]
rule NeedsReview(o: OrderPlaced) = HighValue(o) and not Domestic(o)

service AutoApprove {
  consumes o: OrderPlaced
  publishes OrderApproved
  emit OrderApproved { ...o, approved_by: "auto" }
}
service RequestReview {
  consumes o: OrderPlaced
  publishes ReviewRequested
  emit ReviewRequested { ...o, risk: "medium" }
}
/// External service: a long-running process.
service ManualReview {
  consumes ReviewRequested
  publishes OrderApproved, OrderRejected
  exec "python3 services/review.py"
}
service Payment {
  consumes OrderApproved
  publishes PaymentCaptured
  exec "./services/payment"
}

/// Order to cash.
flow OrderToCash {
  start OrderPlaced
  end   PaymentCaptured, OrderRejected

  on OrderPlaced when NeedsReview     -> RequestReview
  on OrderPlaced when not NeedsReview -> AutoApprove
  on ReviewRequested                  -> ManualReview
  on OrderApproved                    -> Payment
}
)";

}  // namespace

TEST_CASE("graph: DOT draws events, services, subscriptions and publications", "[graph]") {
  auto program = compile({{"shop.flow", kShop}});
  std::string dot = graph(*program, GraphFormat::Dot);
  INFO(dot);

  CHECK_THAT(dot, Contains("digraph flow {"));
  CHECK(dot.substr(dot.size() - 2) == "}\n");
  CHECK_THAT(dot, Contains("label=\"OrderToCash\""));  // single flow: graph title

  // Nodes: events are ellipses, services boxes; ids carry the module.
  for (const char* ev : {"OrderPlaced", "OrderApproved", "OrderRejected", "ReviewRequested", "PaymentCaptured"}) {
    std::string line = line_with(dot, std::string("ev_shop_orders_") + ev + " [");
    INFO(ev);
    CHECK_THAT(line, Contains("shape=ellipse"));
  }
  for (const char* svc : {"AutoApprove", "RequestReview", "ManualReview", "Payment"}) {
    std::string line = line_with(dot, std::string("svc_shop_orders_") + svc + " [");
    INFO(svc);
    CHECK_THAT(line, Contains("shape=box"));
    CHECK_THAT(line, Contains(std::string("label=\"") + svc + "\""));
  }

  // Declaration order: events before services, each in source order.
  CHECK(before(dot, "ev_shop_orders_OrderPlaced [", "ev_shop_orders_OrderApproved ["));
  CHECK(before(dot, "ev_shop_orders_ReviewRequested [", "ev_shop_orders_PaymentCaptured ["));
  CHECK(before(dot, "ev_shop_orders_PaymentCaptured [", "svc_shop_orders_AutoApprove ["));
  CHECK(before(dot, "svc_shop_orders_ManualReview [", "svc_shop_orders_Payment ["));

  // Subscriptions: conditions as labels, none when unconditional.
  CHECK_THAT(dot, Contains("ev_shop_orders_OrderPlaced -> svc_shop_orders_RequestReview [label=\"NeedsReview\"];"));
  CHECK_THAT(dot, Contains("ev_shop_orders_OrderPlaced -> svc_shop_orders_AutoApprove [label=\"not NeedsReview\"];"));
  CHECK_THAT(dot, Contains("ev_shop_orders_ReviewRequested -> svc_shop_orders_ManualReview;"));
  CHECK_THAT(dot, Contains("ev_shop_orders_OrderApproved -> svc_shop_orders_Payment;"));
  CHECK(before(dot, "-> svc_shop_orders_RequestReview", "-> svc_shop_orders_AutoApprove"));

  // Publications, each once.
  CHECK_THAT(dot, Contains("svc_shop_orders_AutoApprove -> ev_shop_orders_OrderApproved;"));
  CHECK_THAT(dot, Contains("svc_shop_orders_RequestReview -> ev_shop_orders_ReviewRequested;"));
  CHECK_THAT(dot, Contains("svc_shop_orders_ManualReview -> ev_shop_orders_OrderApproved;"));
  CHECK_THAT(dot, Contains("svc_shop_orders_ManualReview -> ev_shop_orders_OrderRejected;"));
  CHECK_THAT(dot, Contains("svc_shop_orders_Payment -> ev_shop_orders_PaymentCaptured;"));
  CHECK(count(dot, " -> ") == 9);
}

TEST_CASE("graph: DOT marks start and end events and shows doc comments as tooltips", "[graph]") {
  auto program = compile({{"shop.flow", kShop}});
  std::string dot = graph(*program, GraphFormat::Dot);
  INFO(dot);

  std::string start = line_with(dot, "ev_shop_orders_OrderPlaced [");
  CHECK_THAT(start, Contains("label=\"OrderPlaced\\n(start)\""));
  CHECK_THAT(start, Contains("penwidth="));
  CHECK_THAT(start, Contains("tooltip=\"A customer placed an order. Starts the order-to-cash process.\""));

  for (const char* ev : {"PaymentCaptured", "OrderRejected"}) {
    std::string line = line_with(dot, std::string("ev_shop_orders_") + ev + " [");
    INFO(ev);
    CHECK_THAT(line, Contains("peripheries=2"));
    CHECK_THAT(line, Contains("\\n(end)\""));
  }
  std::string plain = line_with(dot, "ev_shop_orders_OrderApproved [");
  CHECK_THAT(plain, Contains("label=\"OrderApproved\""));
  CHECK(plain.find("peripheries") == std::string::npos);
  CHECK(plain.find("tooltip") == std::string::npos);
  CHECK_THAT(line_with(dot, "svc_shop_orders_ManualReview ["),
             Contains("tooltip=\"External service: a long-running process.\""));
}

TEST_CASE("graph: Mermaid draws the same graph", "[graph]") {
  auto program = compile({{"shop.flow", kShop}});
  std::string md = graph(*program, GraphFormat::Mermaid);
  INFO(md);

  CHECK(md.rfind("---\ntitle: OrderToCash\n---\nflowchart LR\n", 0) == 0);
  CHECK_THAT(md, Contains("  ev_shop_orders_OrderPlaced([\"OrderPlaced<br/>(start)\"])\n"));
  CHECK_THAT(md, Contains("  ev_shop_orders_OrderApproved([\"OrderApproved\"])\n"));
  CHECK_THAT(md, Contains("  svc_shop_orders_Payment[\"Payment\"]\n"));
  // Doc comments become comment lines just before the node.
  CHECK_THAT(md, Contains("  %% A customer placed an order. Starts the order-to-cash process.\n"
                          "  ev_shop_orders_OrderPlaced(["));
  CHECK_THAT(md, Contains("  ev_shop_orders_OrderPlaced -->|\"NeedsReview\"| svc_shop_orders_RequestReview\n"));
  CHECK_THAT(md, Contains("  ev_shop_orders_OrderPlaced -->|\"not NeedsReview\"| svc_shop_orders_AutoApprove\n"));
  CHECK_THAT(md, Contains("  ev_shop_orders_ReviewRequested --> svc_shop_orders_ManualReview\n"));
  CHECK_THAT(md, Contains("  svc_shop_orders_ManualReview --> ev_shop_orders_OrderRejected\n"));
  CHECK(count(md, " -->") == 9);

  CHECK_THAT(md, Contains("  class ev_shop_orders_OrderPlaced startEvent\n"));
  CHECK_THAT(md, Contains("  class ev_shop_orders_OrderRejected,ev_shop_orders_PaymentCaptured endEvent\n"));
  CHECK(md.find("acceptsEvent") == std::string::npos);  // only used markings are defined
  // Every node is declared before the first edge.
  CHECK(before(md, "svc_shop_orders_Payment[", " -->"));
}

TEST_CASE("graph: accepts events are dashed", "[graph]") {
  auto program = compile({{"sign.flow", R"(
event ContractSent { key id: string }
event ContractSigned { key id: string }
event ContractDone { key id: string }
service Archive { consumes ContractSigned publishes ContractDone exec "./archive" }
service Send { consumes ContractSent exec "./send" }
flow Signing {
  start ContractSent
  accepts ContractSigned
  end ContractDone
  on ContractSent -> Send
  on ContractSigned -> Archive
}
)"}});
  std::string dot = graph(*program, GraphFormat::Dot);
  INFO(dot);
  std::string line = line_with(dot, "ev_ContractSigned [");
  CHECK_THAT(line, Contains("dashed"));
  CHECK_THAT(line, Contains("label=\"ContractSigned\\n(accepts)\""));

  std::string md = graph(*program, GraphFormat::Mermaid);
  INFO(md);
  CHECK_THAT(md, Contains("classDef acceptsEvent stroke-dasharray:5 5\n"));
  CHECK_THAT(md, Contains("  class ev_ContractSigned acceptsEvent\n"));
  // A sink service (no publishes) is drawn with its incoming edge only.
  CHECK_THAT(md, Contains("  ev_ContractSent --> svc_Send\n"));
  CHECK(md.find("svc_Send -->") == std::string::npos);
}

TEST_CASE("graph: an http service shows its host", "[graph]") {
  auto program = compile({{"quotes.flow", R"(
event QuoteRequested { key id: string }
event QuoteOffered { key id: string }
service Pricing { consumes QuoteRequested publishes QuoteOffered http "https://pricing.example.com:8443/price?v=2" }
flow Quoting {
  start QuoteRequested
  end QuoteOffered
  on QuoteRequested -> Pricing
}
)"}});
  std::string dot = graph(*program, GraphFormat::Dot);
  INFO(dot);
  CHECK_THAT(line_with(dot, "svc_Pricing ["), Contains("label=\"Pricing\\n(http pricing.example.com:8443)\""));
  std::string md = graph(*program, GraphFormat::Mermaid);
  INFO(md);
  CHECK_THAT(md, Contains("  svc_Pricing[\"Pricing<br/>(http pricing.example.com:8443)\"]\n"));
}

namespace {
const char* kTwoFlows = R"(module ops
event OrderPlaced { key id: string, amount: float }
event Invoiced { key id: string }
event Audited { key id: string }
event Shipped { key id: string }
rule Big(o: OrderPlaced) = o.amount > 100.0
service Invoice { consumes OrderPlaced publishes Invoiced exec "./invoice" }
service Audit { consumes OrderPlaced publishes Audited exec "./audit" }
service Ship { consumes Invoiced publishes Shipped exec "./ship" }
flow Billing {
  start OrderPlaced
  end Shipped
  on OrderPlaced -> Invoice
  on Invoiced -> Ship
}
flow Compliance {
  start OrderPlaced
  end Audited
  on OrderPlaced when Big -> Audit
}
)";
}  // namespace

TEST_CASE("graph: --flow draws only that flow", "[graph]") {
  auto program = compile({{"ops.flow", kTwoFlows}});

  for (GraphFormat format : {GraphFormat::Dot, GraphFormat::Mermaid}) {
    std::string out = graph(*program, format, "Compliance");
    INFO(out);
    CHECK_THAT(out, Contains("ev_ops_OrderPlaced"));
    CHECK_THAT(out, Contains("svc_ops_Audit"));
    CHECK_THAT(out, Contains("ev_ops_Audited"));
    CHECK(out.find("svc_ops_Invoice") == std::string::npos);
    CHECK(out.find("ev_ops_Invoiced") == std::string::npos);
    CHECK(out.find("svc_ops_Ship") == std::string::npos);
    CHECK(out.find("ev_ops_Shipped") == std::string::npos);
    CHECK(out.find("subgraph") == std::string::npos);  // one flow: no cluster
    // One subscription, one publication.
    CHECK(count(out, format == GraphFormat::Dot ? " -> " : " -->") == 2);
  }

  // The qualified name selects it too.
  std::string qualified = graph(*program, GraphFormat::Dot, "ops.Compliance");
  CHECK(qualified == graph(*program, GraphFormat::Dot, "Compliance"));
}

TEST_CASE("graph: an unknown --flow writes nothing and returns false", "[graph]") {
  auto program = compile({{"ops.flow", kTwoFlows}});
  for (GraphFormat format : {GraphFormat::Dot, GraphFormat::Mermaid}) {
    std::ostringstream out;
    GraphOptions options;
    options.format = format;
    options.flow = "Shipping";
    CHECK_FALSE(write_graph(out, *program, options));
    CHECK(out.str().empty());
    options.flow = "OrderPlaced";  // an event, not a flow
    CHECK_FALSE(write_graph(out, *program, options));
    CHECK(out.str().empty());
  }
}

TEST_CASE("graph: several flows become clusters sharing common nodes", "[graph]") {
  auto program = compile({{"ops.flow", kTwoFlows}});

  std::string dot = graph(*program, GraphFormat::Dot);
  INFO(dot);
  CHECK(count(dot, "subgraph cluster_") == 2);
  CHECK(before(dot, "subgraph cluster_flow_ops_Billing {", "subgraph cluster_flow_ops_Compliance {"));
  // Nodes only one flow touches sit inside its cluster...
  CHECK(before(dot, "subgraph cluster_flow_ops_Billing {", "svc_ops_Invoice ["));
  CHECK(before(dot, "svc_ops_Ship [", "subgraph cluster_flow_ops_Compliance {"));
  CHECK(before(dot, "subgraph cluster_flow_ops_Compliance {", "svc_ops_Audit ["));
  // ...the shared start event is drawn once, after (outside) the clusters.
  CHECK(count(dot, "ev_ops_OrderPlaced [") == 1);
  CHECK(before(dot, "svc_ops_Audit [", "ev_ops_OrderPlaced ["));
  CHECK_THAT(dot, Contains("ev_ops_OrderPlaced -> svc_ops_Audit [label=\"Big\""));
  CHECK_THAT(dot, Contains("tooltip=\"flow Compliance: when Big\""));
  CHECK(dot.find("labelloc") == std::string::npos);  // no single-flow title

  std::string md = graph(*program, GraphFormat::Mermaid);
  INFO(md);
  CHECK(md.rfind("flowchart LR\n", 0) == 0);  // no title front matter
  CHECK_THAT(md, Contains("  subgraph cluster_flow_ops_Billing[\"Billing\"]\n"));
  CHECK_THAT(md, Contains("  subgraph cluster_flow_ops_Compliance[\"Compliance\"]\n"
                          "    ev_ops_Audited([\"Audited<br/>(end)\"])\n"
                          "    svc_ops_Audit[\"Audit\"]\n"
                          "  end\n"));
  CHECK(count(md, "ev_ops_OrderPlaced([") == 1);
  CHECK(before(md, "  end\n", "ev_ops_OrderPlaced(["));
}

TEST_CASE("graph: conditions are escaped for DOT and Mermaid", "[graph]") {
  auto program = compile({{"esc.flow", R"(
event Ping { key id: string, who: string, n: int }
service Pong { consumes Ping exec "./pong" }
flow Escapes {
  start Ping
  on Ping when it.who == "say \"hi\" \\ #1 & <b>|x" and it.n < 3 -> Pong
}
)"}});

  std::string dot = graph(*program, GraphFormat::Dot);
  INFO(dot);
  // Source text `it.who == "say \"hi\" \\ #1 & <b>|x" and it.n < 3`:
  // DOT escapes quotes and backslashes, and `&` (an entity to Graphviz).
  CHECK_THAT(dot, Contains(R"([label="it.who == \"say \\\"hi\\\" \\\\ #1 &amp; <b>|x\" and it.n < 3"])"));

  std::string md = graph(*program, GraphFormat::Mermaid);
  INFO(md);
  CHECK_THAT(
      md,
      Contains(R"(-->|"it.who == #quot;say \#quot;hi\#quot; \\ #35;1 #amp; #lt;b#gt;#124;x#quot; and it.n #lt; 3"|)"));
}

TEST_CASE("graph: multi-line conditions are shown on one line without comments", "[graph]") {
  auto program = compile({{"ml.flow", R"(
event Ping { key id: string, n: int }
rule Small(p: Ping) = p.n < 10
rule Even(p: Ping) = p.n % 2 == 0
service Pong { consumes Ping exec "./pong" }
flow Lines {
  start Ping
  on Ping when Small   // first
           and   not Even
    -> Pong
}
)"}});
  std::string dot = graph(*program, GraphFormat::Dot);
  INFO(dot);
  CHECK_THAT(dot, Contains("ev_Ping -> svc_Pong [label=\"Small and not Even\"];"));
}

TEST_CASE("graph: block comments inside a condition are dropped", "[graph]") {
  auto program = compile({{"bc.flow", R"(
event Ping { key id: string, n: int }
rule Small(p: Ping) = p.n < 10
rule Even(p: Ping) = p.n % 2 == 0
service Pong { consumes Ping exec "./pong" }
flow Lines {
  start Ping
  on Ping when Small /* and a
  comment */ or   Even -> Pong
}
)"}});
  std::string dot = graph(*program, GraphFormat::Dot);
  INFO(dot);
  CHECK_THAT(dot, Contains("ev_Ping -> svc_Pong [label=\"Small or Even\"];"));
}

TEST_CASE("graph: conditions are labelled as flowc fmt prints them", "[graph]") {
  auto program = compile({{"fmt.flow", R"(
event Ping { key id: string, n: int, who: string }
rule Small(p: Ping) = p.n < 10
service Pong { consumes Ping exec "./pong" }
flow Lines {
  start Ping
  on Ping when it.n<3 and(Small) or contains( it.who ,"a  b" ) -> Pong
  on Ping when (Small) -> Pong
}
)"}});
  std::string dot = graph(*program, GraphFormat::Dot);
  INFO(dot);
  // Operators spaced, the user's inner parentheses kept, string literals as
  // written; no parentheses around the whole condition.
  CHECK_THAT(dot, Contains(R"x(ev_Ping -> svc_Pong [label="it.n < 3 and (Small) or contains(it.who, \"a  b\")"];)x"));
  CHECK_THAT(dot, Contains("ev_Ping -> svc_Pong [label=\"Small\"];"));
}

TEST_CASE("graph: a subscription to several services draws an edge to each", "[graph]") {
  auto program = compile({{"fan.flow", R"(
event Ping { key id: string }
rule Always(p: Ping) = true
service A { consumes Ping exec "./a" }
service B { consumes Ping exec "./b" }
flow Fan {
  start Ping
  on Ping when Always -> A, B
}
)"}});
  std::string md = graph(*program, GraphFormat::Mermaid);
  INFO(md);
  CHECK_THAT(md, Contains("  ev_Ping -->|\"Always\"| svc_A\n"
                          "  ev_Ping -->|\"Always\"| svc_B\n"));
}

TEST_CASE("graph: same names in different modules get distinct ids and qualified labels", "[graph]") {
  auto program = compile({
      {"a.flow", R"(module a
import b
event Ping { key id: string }
service Relay { consumes Ping publishes b.Ping exec "./relay" }
flow Relaying {
  start Ping
  end b.Ping
  on Ping -> Relay
}
)"},
      {"b.flow", R"(module b
event Ping { key id: string }
)"},
  });
  std::string dot = graph(*program, GraphFormat::Dot);
  INFO(dot);
  CHECK_THAT(line_with(dot, "ev_a_Ping ["), Contains("label=\"a.Ping\\n(start)\""));
  CHECK_THAT(line_with(dot, "ev_b_Ping ["), Contains("label=\"b.Ping\\n(end)\""));
  CHECK_THAT(line_with(dot, "svc_a_Relay ["), Contains("label=\"Relay\""));  // unique: plain name
  CHECK_THAT(dot, Contains("svc_a_Relay -> ev_b_Ping;"));
}

TEST_CASE("graph: output is deterministic", "[graph]") {
  auto first = compile({{"ops.flow", kTwoFlows}});
  auto second = compile({{"ops.flow", kTwoFlows}});
  for (GraphFormat format : {GraphFormat::Dot, GraphFormat::Mermaid}) {
    std::string a = graph(*first, format);
    CHECK(a == graph(*first, format));
    CHECK(a == graph(*second, format));
  }
}

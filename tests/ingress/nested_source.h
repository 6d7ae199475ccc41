// The nested program of the ingress tests: an order as a webshop sends it
// (language.md §4.1), with records at several depths, lists of records and
// of optional records, maps of scalars and of records, a list
// of maps of lists of records, and decimals at every depth; and helpers to
// write its lines. Records' defaults come from the tests (RecordDefault).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ingress_fixture.h"

namespace flow::testing {

inline constexpr const char* kNestedSource = R"(module shop.nested

enum Channel { Web, Store }

record Address { street: string, city: string, country: string, zip: string? }
record LineItem { sku: string, qty: int, price: decimal, tags: list<string>, gift: bool? }
record Customer { name: string, address: Address, tier: Channel? }

event OrderPlaced {
  key order_id: string
  customer: Customer
  ship_to: Address
  bill_to: Address?
  items: list<LineItem>
  maybe: list<LineItem?>
  labels: map<string, string>
  counts: map<string, int>
  stock: map<string, LineItem>
  routes: list<map<string, list<Address>>>
  total: decimal
  fees: list<decimal>
}

event Note { key id: string, text: string }
)";

/// The nested program, compiled once, with a default for LineItem.tags
/// (`[]`) and Address.country (`"NL"`).
const IngressProgram& nested();

/// A valid OrderPlaced data object with `extra` members appended and the
/// named fields left out.
std::string nested_order(const std::string& extra = "", const std::vector<std::string>& without = {});

}  // namespace flow::testing

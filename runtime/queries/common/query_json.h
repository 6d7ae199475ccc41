// JSON building blocks shared by the query commands' --json output, so an
// event, a definition version or a time reads the same in dossier, explain,
// replay and the JSON lines export. docs/journal.md "Queries" documents
// the shapes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "queries/common/definition_summary.h"
#include "records/journal_records.h"

namespace flow::runtime::queries {

// Keys keep the order they are written in: the documented order.
using ojson = nlohmann::ordered_json;

/// Where an event came from: "input" (a line of `flowrt run`'s input),
/// "emitted" (by a service, through a delivery) or "runtime" (raised by the
/// runtime itself: std.runtime.DeliveryDeadLettered, InputRejected).
const char* origin_of(const EventRecord& r);

/// The `data` of an event record as JSON (the text itself when it is not
/// JSON), its numbers' text kept for dump() (number_text.h).
ojson data_value(const std::string& data_json);

/// "" -> null, anything else -> the string.
ojson text_or_null(const std::string& text);

/// An event record: seq, id, type, instance, key, origin ("input" or
/// "emitted"), time, dispatched, input_line, source, subject, causation,
/// delivery, service, definition {version, hash}, and data when `with_data`.
ojson event_json(const EventRecord& r, uint64_t seq, int version, bool with_data);

/// A definition version: version, hash, activated, source (null when unknown).
ojson definition_json(const DefinitionSummary* def, const std::string& hash);

/// The decision outcome name used everywhere: "fired", "not fired", "error".
const char* result_text(int64_t result);

/// Pretty-printed (two spaces), invalid UTF-8 replaced, numbers of event
/// data as journaled, with a final newline.
std::string dump(const ojson& j);

}  // namespace flow::runtime::queries

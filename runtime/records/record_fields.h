// The field order of the record payloads that more than one codec reads or
// writes (journal_records.cpp's Writer and Reader, record_views.cpp's
// ViewReader): written once here, so encoding and the two decodings cannot
// drift apart. A codec has chainable str(x) and i64(x) members; `R` is a
// record or a view, const when encoding.
#pragma once

namespace flow::runtime::record_fields {

template <class Codec, class R>
Codec& event(Codec& c, R& r) {
  return c.str(r.id)
      .name(r.type)
      .str(r.instance)
      .str(r.key)
      .str(r.causation)
      .str(r.delivery)
      .name(r.service)
      .str(r.source)
      .str(r.subject)
      .i64(r.time_us)
      .i64(r.dispatched_us)
      .i64(r.input_line)
      .name(r.definition)
      .str(r.data_json);
}

/// An emitted event's source is its service; the encoding leaves it empty
/// then (it would repeat the service's name), and decoding restores it.
template <class R>
void restore_source(R& r) {
  if (r.source.empty() && !r.service.empty()) r.source = r.service;
}

/// A decision's fields before its rule list (whose count follows).
template <class Codec, class R>
Codec& decision_head(Codec& c, R& r) {
  return c.str(r.event).str(r.flow).i64(r.subscription).i64(r.result).str(r.error);
}

/// A `decisions` record's fields before its flow list.
template <class Codec, class R>
Codec& decision_set_head(Codec& c, R& r) {
  return c.str(r.event);
}

/// One subscription of a `decisions` record, before its rule index list.
template <class Codec, class R>
Codec& subscription_decision(Codec& c, R& r) {
  return c.u32(r.flow).i64(r.subscription).i64(r.result).str(r.error);
}

}  // namespace flow::runtime::record_fields

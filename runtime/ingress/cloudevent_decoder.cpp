// CloudEventDecoder: keeps the input padded for simdjson, tries the fast
// path (fast_decoder.h), and otherwise runs the reference path for the
// envelope here: finds `type` and `data` among the attributes with the
// On-Demand API, checks the optional ones, decodes `data` with DataDecoder,
// and words every rejection. See cloudevent_decoder.h.
#include "ingress/cloudevent_decoder.h"

#include <cstring>

#include "base/time_format.h"
#include "ingress/attributes.h"
#include "ingress/data_decoder.h"
#include "ingress/fast_decoder.h"
#include "ingress/json_check.h"
#include "ingress/json_text.h"

namespace flow::runtime {

static_assert(CloudEventDecoder::kPadding >= simdjson::SIMDJSON_PADDING);

namespace {

using json::od::json_type;
using simdjson::error_code;

const char* attribute_name(Attribute a) {
  switch (a) {
    case Attribute::Type: return "type";
    case Attribute::Data: return "data";
    case Attribute::SpecVersion: return "specversion";
    case Attribute::Id: return "id";
    case Attribute::Source: return "source";
    case Attribute::Time: return "time";
    case Attribute::Subject: return "subject";
    case Attribute::DataBase64: return "data_base64";
    case Attribute::Other: break;
  }
  return "?";
}

}  // namespace

struct CloudEventDecoder::Impl {
  Impl(const EventCatalog& c, Options o)
      : catalog(c), data(o.strict), fast(c, o.strict, o.express_path), use_fast(o.fast_path) {}

  /// Decodes a line, or with `known` a bare data object of that type.
  /// `in_place`: the padding after `json` is the caller's bytes, whatever
  /// they are.
  bool decode(simdjson::padded_string_view json, const EventType* known, Arena& arena, DecodedEvent& out,
              std::string& error, RejectKind& kind, bool in_place = false);
  bool decode_reference(simdjson::padded_string_view json, const EventType* known, Arena& arena, DecodedEvent& out,
                        std::string& error, RejectKind& kind);
  bool decode_root(json::od::document& doc, Arena& arena, DecodedEvent& out);
  bool decode_data(json::od::value& value, Arena& arena, DecodedEvent& out);
  bool decode_data_again(json::od::document& doc, Arena& arena, DecodedEvent& out);
  bool decode_bare_data(json::od::document& doc, const EventType& type, Arena& arena, DecodedEvent& out);
  bool string_attribute(json::od::value& value, Attribute a, std::string_view& text);

  /// `line` copied into `buffer`, followed by kPadding zero bytes.
  simdjson::padded_string_view padded_copy(std::string_view line);

  bool fail(RejectKind k, std::string reason) {
    kind_ = k;
    *error_ = std::move(reason);
    return false;
  }
  bool not_json(error_code e) { return fail(RejectKind::NotJson, "not JSON: " + std::string(json::describe(e))); }

  const EventCatalog& catalog;
  json::od::parser parser;
  DataDecoder data;
  FastDecoder fast;
  bool use_fast;
  std::unique_ptr<char[]> buffer;  // the last copied line + padding
  size_t capacity = 0;
  std::string* error_ = nullptr;
  RejectKind kind_ = RejectKind::NotJson;
};

bool CloudEventDecoder::Impl::string_attribute(json::od::value& value, Attribute a, std::string_view& text) {
  if (!json::string_of(value, text)) return true;
  json_type found;
  if (error_code e = value.type().get(found)) return not_json(e);
  if (found == json_type::string) return not_json(simdjson::STRING_ERROR);
  return fail(RejectKind::NotCloudEvent,
              "'" + std::string(attribute_name(a)) + "' must be a string, found " + json::describe_found(value, found));
}

bool CloudEventDecoder::Impl::decode_data(json::od::value& value, Arena& arena, DecodedEvent& out) {
  json_type found;
  if (error_code e = value.type().get(found)) return not_json(e);
  if (found != json_type::object)
    return fail(RejectKind::NotCloudEvent, "'data' must be an object, found " + json::describe_found(value, found));
  json::od::object object;
  if (error_code e = value.get_object().get(object)) return not_json(e);
  switch (data.decode(object, *out.type, arena, out.instance, *error_)) {
    case DataDecoder::Outcome::Ok: return true;
    case DataDecoder::Outcome::Invalid: kind_ = RejectKind::InvalidData; return false;
    case DataDecoder::Outcome::NotJson:
      kind_ = RejectKind::NotJson;
      *error_ = "not JSON: " + *error_;
      return false;
  }
  return false;
}

bool CloudEventDecoder::Impl::decode_root(json::od::document& doc, Arena& arena, DecodedEvent& out) {
  json_type root_type;
  if (error_code e = doc.type().get(root_type)) return not_json(e);
  if (root_type != json_type::object) {
    return fail(RejectKind::NotCloudEvent, "expected a JSON object, found " + std::string(json::type_name(root_type)));
  }
  json::od::object root;
  if (error_code e = doc.get_object().get(root)) return not_json(e);
  uint32_t seen = 0;
  bool data_later = false;  // `data` came before `type`: decode it in a second pass
  for (auto member : root) {
    std::string_view key;
    if (error_code e = json::key_of(member, key)) return not_json(e);
    json::od::value value;
    if (error_code e = member.value().get(value)) return not_json(e);
    const Attribute a = classify_attribute(key);
    if (a != Attribute::Other) {
      const uint32_t bit = attribute_bit(a);
      if (seen & bit) return fail(RejectKind::NotCloudEvent, "duplicate attribute '" + std::string(key) + "'");
      seen |= bit;
    }
    std::string_view text;
    switch (a) {
      case Attribute::Type:
        if (!string_attribute(value, a, text)) return false;
        out.type = catalog.find(text);
        if (!out.type) return fail(RejectKind::UnknownType, catalog.unknown_type_reason(text));
        break;
      case Attribute::Data:
        if (!out.type) {
          data_later = true;  // skipped now; On-Demand steps over it
          break;
        }
        if (!decode_data(value, arena, out)) return false;
        break;
      case Attribute::SpecVersion:
        if (!string_attribute(value, a, text)) return false;
        if (text != "1.0") {
          return fail(RejectKind::NotCloudEvent,
                      "unsupported specversion \"" + excerpt(text) + "\" (expected \"1.0\")");
        }
        break;
      case Attribute::Id:
      case Attribute::Source:
      case Attribute::Subject: {
        if (!string_attribute(value, a, text)) return false;
        if (text.empty() && a != Attribute::Subject)
          return fail(RejectKind::NotCloudEvent, "'" + std::string(attribute_name(a)) + "' must not be empty");
        FlowStr copy = arena.copy(text);
        std::string_view kept(copy.data, copy.size);
        (a == Attribute::Id ? out.id : a == Attribute::Source ? out.source : out.subject) = kept;
        break;
      }
      case Attribute::Time: {
        if (!string_attribute(value, a, text)) return false;
        out.time = parse_timestamp(text);
        if (!out.time) {
          return fail(RejectKind::NotCloudEvent,
                      "'time' must be an RFC 3339 timestamp, found \"" + excerpt(text) + "\"");
        }
        break;
      }
      case Attribute::DataBase64:
      case Attribute::Other:
        // Extension attributes and the like: ignored, but must be valid JSON.
        if (error_code e = json::check_value(value, 1)) return not_json(e);
        break;
    }
  }
  // Nothing may follow the object. (Located means "not at the end".)
  const char* after = nullptr;
  if (!doc.current_location().get(after)) return not_json(simdjson::TRAILING_CONTENT);

  auto has = [&](Attribute a) { return (seen & attribute_bit(a)) != 0; };
  if (!has(Attribute::Type)) return fail(RejectKind::NotCloudEvent, "missing 'type'");
  if (!has(Attribute::Data)) {
    return fail(RejectKind::NotCloudEvent, has(Attribute::DataBase64)
                                               ? "missing 'data' ('data_base64' is not supported: send 'data' as a "
                                                 "JSON object)"
                                               : "missing 'data'");
  }
  if (data_later) return decode_data_again(doc, arena, out);
  return true;
}

bool CloudEventDecoder::Impl::decode_data_again(json::od::document& doc, Arena& arena, DecodedEvent& out) {
  // Everything but `data` was read and checked in the first pass. Rewinding
  // reuses the structural index; only the object's keys are read again.
  doc.rewind();
  json::od::object root;
  if (error_code e = doc.get_object().get(root)) return not_json(e);
  for (auto member : root) {
    std::string_view key;
    if (error_code e = json::key_of(member, key)) return not_json(e);
    if (classify_attribute(key) != Attribute::Data) continue;
    json::od::value value;
    if (error_code e = member.value().get(value)) return not_json(e);
    return decode_data(value, arena, out);
  }
  return fail(RejectKind::NotCloudEvent, "missing 'data'");
}

bool CloudEventDecoder::Impl::decode(simdjson::padded_string_view json, const EventType* known, Arena& arena,
                                     DecodedEvent& out, std::string& error, RejectKind& kind, bool in_place) {
  out = DecodedEvent{};
  if (use_fast) {
    if (known ? fast.decode_data_object(json.data(), json.size(), *known, arena, out)
              : fast.decode(json.data(), json.size(), arena, out)) {
      return true;
    }
    out = DecodedEvent{};
  }
  // The fast path never reads the padding as part of the line, but the
  // On-Demand API may when the line is cut short and what follows it
  // continues it (it then walked off the line's structure and crashed):
  // the reference path reads a copy padded with zeros.
  if (in_place) json = padded_copy(std::string_view(json.data(), json.size()));
  return decode_reference(json, known, arena, out, error, kind);
}

bool CloudEventDecoder::Impl::decode_reference(simdjson::padded_string_view json, const EventType* known, Arena& arena,
                                               DecodedEvent& out, std::string& error, RejectKind& kind) {
  // Not accepted by the fast path: the reference path decides and explains.
  error_ = &error;
  json::od::document doc;
  bool ok;
  if (error_code e = parser.iterate(json).get(doc)) {
    ok = not_json(e);
  } else if (known) {
    ok = decode_bare_data(doc, *known, arena, out);
  } else {
    ok = decode_root(doc, arena, out);
  }
  if (ok) return true;
  // Rejected: if the line is also malformed JSON somewhere the decoder did
  // not reach (or reached only to find a type mismatch), say so instead, as
  // "not JSON" is the more basic problem; and for malformed JSON, the full
  // check also knows the byte offset. Only rejected lines pay for this.
  std::string why = json::check_document(parser, json);
  if (!why.empty()) fail(RejectKind::NotJson, "not JSON: " + why);
  kind = kind_;
  out = DecodedEvent{};
  return false;
}

bool CloudEventDecoder::Impl::decode_bare_data(json::od::document& doc, const EventType& type, Arena& arena,
                                               DecodedEvent& out) {
  json_type root_type;
  if (error_code e = doc.type().get(root_type)) return not_json(e);
  if (root_type != json_type::object) {
    return fail(RejectKind::NotCloudEvent,
                "'data' must be an object, found " + std::string(json::type_name(root_type)));
  }
  json::od::value value;
  if (error_code e = doc.get_value().get(value)) return not_json(e);
  out.type = &type;
  if (!decode_data(value, arena, out)) return false;
  const char* after = nullptr;
  if (!doc.current_location().get(after)) return not_json(simdjson::TRAILING_CONTENT);
  return true;
}

CloudEventDecoder::CloudEventDecoder(const EventCatalog& catalog) : CloudEventDecoder(catalog, Options{}) {}

CloudEventDecoder::CloudEventDecoder(const EventCatalog& catalog, Options options)
    : impl_(std::make_unique<Impl>(catalog, options)) {}

CloudEventDecoder::~CloudEventDecoder() = default;

size_t CloudEventDecoder::express_accepted() const {
  return impl_->fast.express_accepted();
}

size_t CloudEventDecoder::dom_accepted() const {
  return impl_->fast.dom_accepted();
}

simdjson::padded_string_view CloudEventDecoder::Impl::padded_copy(std::string_view line) {
  const size_t needed = line.size() + kPadding;
  if (capacity < needed) {
    size_t grown = capacity ? capacity : 4096;
    while (grown < needed) grown *= 2;
    buffer = std::make_unique<char[]>(grown);
    capacity = grown;
  }
  char* copy = buffer.get();
  if (!line.empty()) std::memcpy(copy, line.data(), line.size());
  std::memset(copy + line.size(), 0, kPadding);
  return simdjson::padded_string_view(copy, line.size(), capacity);
}

bool CloudEventDecoder::decode(std::string_view line, Arena& arena, DecodedEvent& out) {
  return impl_->decode(impl_->padded_copy(line), nullptr, arena, out, error_, error_kind_);
}

bool CloudEventDecoder::decode_data(const EventType& type, std::string_view data_json, Arena& arena,
                                    DecodedEvent& out) {
  return impl_->decode(impl_->padded_copy(data_json), &type, arena, out, error_, error_kind_);
}

bool CloudEventDecoder::decode_in_place(std::string_view line, size_t readable_after, Arena& arena, DecodedEvent& out) {
  if (readable_after < kPadding || line.data() == nullptr) return decode(line, arena, out);
  return impl_->decode(simdjson::padded_string_view(line.data(), line.size(), line.size() + readable_after), nullptr,
                       arena, out, error_, error_kind_, /*in_place=*/true);
}

}  // namespace flow::runtime

// Building the EventCatalog: type codecs (shared per semantic type), enum
// member tables, per-event and per-record field tables and default
// instances, and the event name table with its "did you mean" fallback.
#include "ingress/event_catalog.h"

#include <stdexcept>

#include "base/nearest_name.h"
#include "eval/value_io.h"
#include "ingress/json_text.h"
#include "layout/event_builder.h"

namespace flow::runtime {

namespace {

bool has_deep_bytes(const eval::Value& value) {
  switch (value.kind()) {
    case eval::ValueKind::String: return !value.as_string().empty();
    case eval::ValueKind::List: return !value.as_list().empty();
    case eval::ValueKind::Map: return !value.map_keys().empty();
    case eval::ValueKind::Record:
      for (const eval::Value& field : value.as_record()) {
        if (has_deep_bytes(field)) return true;
      }
      return false;
    default: return false;
  }
}

}  // namespace

const EnumCodec* EventCatalog::enum_codec(const EnumInfo* decl) {
  for (const auto& e : enums_) {
    if (e->decl == decl) return e.get();
  }
  auto codec = std::make_unique<EnumCodec>();
  codec->decl = decl;
  for (size_t i = 0; i < decl->members.size(); ++i) {
    const std::string& name = decl->members[i];
    codec->members.insert(name, static_cast<int>(i));
    codec->names.push_back(name);
    codec->json_names.push_back("\"" + name + "\"");  // identifiers need no escaping
  }
  enums_.push_back(std::move(codec));
  return enums_.back().get();
}

const TypeCodec* EventCatalog::codec_for(const Type* type) {
  if (type->is_optional()) type = type->element;
  for (const auto& [t, codec] : codecs_) {
    if (t == type) return codec.get();
  }
  auto codec = std::make_unique<TypeCodec>();
  codec->kind = type->kind;
  codec->type = type;
  codec->name = type->to_string();
  switch (type->kind) {
    case TypeKind::Bool:
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::String:
    case TypeKind::Timestamp:
    case TypeKind::Duration: break;
    case TypeKind::Decimal: codec->has_decimal = true; break;
    case TypeKind::Enum: codec->enumeration = enum_codec(type->enum_info); break;
    case TypeKind::List:
    case TypeKind::Map: {
      const Type* element = type->element;
      codec->element = codec_for(element);
      codec->element_optional = element->is_optional();
      layout::Slot slot = layout::element_slot(element);
      codec->element_size = slot.size;
      codec->element_align = slot.align;
      codec->element_value_offset = element->is_optional() ? layout::optional_value_offset(element->element) : 0;
      codec->has_decimal = codec->element->has_decimal;
      if (type->kind == TypeKind::Map) {
        codec->entry_size = layout::map_entry_slot(element).size;
        codec->entry_value_offset = layout::map_value_offset(element);
      }
      break;
    }
    case TypeKind::Record:
      codec->record = record_codec(type->record_info);
      codec->has_decimal = codec->record->has_decimal;
      for (const FieldCodec& f : codec->record->fields) codec->deep = codec->deep || f.value->deep;
      break;
    default: throw std::invalid_argument("event field of type " + type->to_string() + " cannot come from JSON");
  }
  const TypeKind kind = type->kind;
  codec->deep = codec->deep || kind == TypeKind::String || kind == TypeKind::List || kind == TypeKind::Map;
  codecs_.emplace_back(type, std::move(codec));
  return codecs_.back().second.get();
}

const StructCodec* EventCatalog::record_codec(const RecordInfo* decl) {
  for (const auto& [info, codec] : records_) {
    if (info == decl) return codec.get();
  }
  // Records cannot contain themselves (the checker's rule), so building the
  // codecs of the fields ends.
  auto codec = std::make_unique<StructCodec>();
  codec->layout = &layout::record_layout(*decl);
  codec->name = decl->name;
  build_fields(*codec, *decl, "record '" + decl->qualified_name + "'");
  codec->record_index = static_cast<int>(records_.size());
  records_.emplace_back(decl, std::move(codec));
  return records_.back().second.get();
}

void EventCatalog::build_fields(StructCodec& codec, const FieldTable& table, const std::string& what) {
  const layout::StructLayout& layout = *codec.layout;
  layout::EventBuilder builder(layout, arena_);
  codec.fields.resize(table.fields.size());
  for (size_t i = 0; i < table.fields.size(); ++i) {
    const FieldInfo& field = table.fields[i];
    FieldCodec& f = codec.fields[i];
    f.name = field.name;
    f.json_key = "\"" + field.name + "\":";
    f.index = static_cast<int>(i);
    f.offset = layout.fields[i].offset;
    f.size = layout.fields[i].slot.size;
    f.optional = layout.fields[i].optional;
    f.is_key = field.is_key;
    f.value = codec_for(field.type);
    f.absent = f.optional ? Absent::None : Absent::Missing;
    codec.has_decimal = codec.has_decimal || f.value->has_decimal;
    if (field.has_default) {
      const eval::Value* value = defaults_->find(&table, static_cast<int>(i));
      if (!value) throw std::invalid_argument("no default value given for field '" + field.name + "' of " + what);
      eval::write_field(builder, static_cast<int>(i), *value);
      if (!value->is_none()) {
        f.absent = Absent::Default;
        f.default_is_deep = has_deep_bytes(*value);
      }
    }
    codec.field_names.insert(field.name, static_cast<int>(i));
  }
  codec.defaults = builder.instance();
}

EventCatalog::EventCatalog(const std::vector<const EventInfo*>& events, const layout::LayoutTable& layouts,
                           const FieldDefaults& defaults) {
  defaults_ = &defaults;
  NameTable plain_count;  // plain name -> first index, to find duplicates
  std::vector<bool> plain_unique(events.size(), true);
  for (const EventInfo* decl : events) {
    if (by_decl_.count(decl)) continue;
    auto type = std::make_unique<EventType>();
    type->decl = decl;
    type->layout = &layouts.of(decl);
    type->index = static_cast<int>(types_.size());
    type->name = decl->name;
    type->qualified_name = decl->qualified_name;
    build_fields(*type, *decl, "event '" + decl->qualified_name + "'");
    int first = plain_count.find(type->name);
    if (first >= 0) {
      plain_unique[static_cast<size_t>(first)] = false;
      plain_unique[types_.size()] = false;
    } else {
      plain_count.insert(type->name, type->index);
    }
    by_decl_[decl] = type.get();
    types_.push_back(std::move(type));
  }
  for (const auto& type : types_) {
    names_.insert(type->qualified_name, type->index);
    if (plain_unique[static_cast<size_t>(type->index)]) {
      type->wire_name = type->name;
    } else {
      type->wire_name = type->qualified_name;
      ambiguous_.insert(type->name, 0);
    }
  }
  for (const auto& type : types_) {
    if (plain_unique[static_cast<size_t>(type->index)]) names_.insert(type->name, type->index);
  }
  defaults_ = nullptr;
}

const EventType* EventCatalog::find(const EventInfo* decl) const {
  auto it = by_decl_.find(decl);
  return it == by_decl_.end() ? nullptr : it->second;
}

std::string EventCatalog::unknown_type_reason(std::string_view name) const {
  const std::string shown = excerpt(name, 80);  // input text: cut, on one line
  if (ambiguous_.find(name) >= 0) {
    std::string candidates;
    for (const auto& type : types_) {
      if (type->name != name) continue;
      if (!candidates.empty()) candidates += ", ";
      candidates += type->qualified_name;
    }
    return "ambiguous event type '" + shown + "' (one of " + candidates + ")";
  }
  std::vector<std::string> known;
  for (const auto& type : types_) {
    known.push_back(type->wire_name);
    if (type->wire_name != type->qualified_name) known.push_back(type->qualified_name);
  }
  std::string nearest = name.size() <= 100 ? nearest_name(name, known) : "";
  std::string reason = "unknown event type '" + shown + "'";
  if (!nearest.empty()) reason += " (did you mean '" + nearest + "'?)";
  return reason;
}

}  // namespace flow::runtime

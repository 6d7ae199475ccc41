// Internal to the ingress library: the CloudEvents attributes the decoders
// know, shared by the fast and the reference path so they classify keys alike.
#pragma once

#include <cstring>
#include <string_view>

namespace flow::runtime {

enum class Attribute : unsigned { Other, Type, Data, SpecVersion, Id, Source, Time, Subject, DataBase64 };

/// The attribute a key names. Constant-size memcmp compiles to a load and a
/// compare: this runs for every top-level key of every line.
inline Attribute classify_attribute(std::string_view key) {
  const char* k = key.data();
  switch (key.size()) {
    case 2: return std::memcmp(k, "id", 2) == 0 ? Attribute::Id : Attribute::Other;
    case 4:
      if (std::memcmp(k, "type", 4) == 0) return Attribute::Type;
      if (std::memcmp(k, "data", 4) == 0) return Attribute::Data;
      if (std::memcmp(k, "time", 4) == 0) return Attribute::Time;
      return Attribute::Other;
    case 6: return std::memcmp(k, "source", 6) == 0 ? Attribute::Source : Attribute::Other;
    case 7: return std::memcmp(k, "subject", 7) == 0 ? Attribute::Subject : Attribute::Other;
    case 11:
      if (std::memcmp(k, "specversion", 11) == 0) return Attribute::SpecVersion;
      if (std::memcmp(k, "data_base64", 11) == 0) return Attribute::DataBase64;
      return Attribute::Other;
    default: return Attribute::Other;
  }
}

/// The attribute's bit in a set of seen attributes.
inline unsigned attribute_bit(Attribute a) {
  return 1u << static_cast<unsigned>(a);
}

}  // namespace flow::runtime

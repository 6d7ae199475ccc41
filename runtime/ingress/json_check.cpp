// Well-formedness checks over simdjson On-Demand values and error texts.
#include "ingress/json_check.h"

#include "ingress/json_text.h"

namespace flow::runtime::json {

using simdjson::error_code;
using simdjson::SUCCESS;

std::string_view token(od::value& value) {
  std::string_view t = value.raw_json_token();
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r'))
    t.remove_suffix(1);
  return t;
}

error_code check_value(od::value& value, int depth) {
  od::json_type type;
  if (error_code e = value.type().get(type)) return e;
  switch (type) {
    case od::json_type::object: {
      if (depth >= kMaxDepth) return simdjson::DEPTH_ERROR;
      od::object object;
      if (error_code e = value.get_object().get(object)) return e;
      for (auto field : object) {
        std::string_view key;
        if (error_code e = field.unescaped_key().get(key)) return e;
        od::value child;
        if (error_code e = field.value().get(child)) return e;
        if (error_code e = check_value(child, depth + 1)) return e;
      }
      return SUCCESS;
    }
    case od::json_type::array: {
      if (depth >= kMaxDepth) return simdjson::DEPTH_ERROR;
      od::array array;
      if (error_code e = value.get_array().get(array)) return e;
      for (auto element : array) {
        od::value child;
        if (error_code e = element.get(child)) return e;
        if (error_code e = check_value(child, depth + 1)) return e;
      }
      return SUCCESS;
    }
    case od::json_type::number:
      // Range does not matter here (1e400 is valid JSON); the grammar does.
      return is_json_number(token(value)) ? SUCCESS : simdjson::NUMBER_ERROR;
    case od::json_type::string: {
      std::string_view text;
      return value.get_string().get(text);
    }
    case od::json_type::boolean: {
      bool b;
      return value.get_bool().get(b) ? simdjson::T_ATOM_ERROR : SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) || !is_null) return simdjson::N_ATOM_ERROR;
      return SUCCESS;
    }
  }
  return simdjson::TAPE_ERROR;
}

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view t) {
  while (!t.empty() && is_space(t.back())) t.remove_suffix(1);
  return t;
}

/// Reads the root value. Scalar roots are rejected by the decoder anyway
/// ("expected a JSON object"); they are checked here only so that a valid
/// scalar is never called "not JSON". Sets `trailing_checked` when the
/// getter already made sure nothing follows.
error_code check_root(od::document& doc, simdjson::padded_string_view json, bool& trailing_checked) {
  od::json_type type;
  if (error_code e = doc.type().get(type)) return e;
  switch (type) {
    case od::json_type::object:
    case od::json_type::array: {
      od::value value;
      if (error_code e = doc.get_value().get(value)) return e;
      return check_value(value, 0);
    }
    case od::json_type::string: {
      std::string_view text;
      return doc.get_string().get(text);
    }
    case od::json_type::boolean: {
      trailing_checked = true;
      bool b;
      error_code e = doc.get_bool().get(b);
      return e == simdjson::TRAILING_CONTENT || e == SUCCESS ? e : simdjson::T_ATOM_ERROR;
    }
    case od::json_type::null: {
      trailing_checked = true;
      bool is_null = false;
      if (!doc.is_null().get(is_null) && is_null) return SUCCESS;
      std::string_view t;
      if (doc.raw_json_token().get(t)) return simdjson::N_ATOM_ERROR;
      return trim(t) == "null" ? simdjson::TRAILING_CONTENT : simdjson::N_ATOM_ERROR;
    }
    case od::json_type::number: {
      trailing_checked = true;
      double d;
      error_code e = doc.get_double().get(d);
      if (e == SUCCESS || e == simdjson::TRAILING_CONTENT) return e;
      std::string_view t;
      if (doc.raw_json_token().get(t)) return simdjson::NUMBER_ERROR;
      t = trim(t);
      if (!is_json_number(t)) return simdjson::NUMBER_ERROR;
      // Valid but beyond double range: fine as JSON if nothing follows.
      for (const char* p = t.data() + t.size(); p < json.data() + json.size(); ++p) {
        if (!is_space(*p)) return simdjson::TRAILING_CONTENT;
      }
      return SUCCESS;
    }
  }
  return simdjson::TAPE_ERROR;
}

}  // namespace

std::string check_document(od::parser& parser, simdjson::padded_string_view json) {
  od::document doc;
  if (error_code e = parser.iterate(json).get(doc)) return std::string(describe(e));
  bool trailing_checked = false;
  error_code e = check_root(doc, json, trailing_checked);
  const char* at = nullptr;
  bool located = !doc.current_location().get(at) && at >= json.data() && at <= json.data() + json.size();
  if (e == SUCCESS) {
    if (!located || trailing_checked) return "";  // nothing follows the value
    e = simdjson::TRAILING_CONTENT;
  }
  std::string reason(describe(e));
  if (located) reason += " (at byte " + std::to_string(at - json.data()) + ")";
  return reason;
}

std::string_view describe(simdjson::error_code error) {
  switch (error) {
    case simdjson::EMPTY: return "empty line";
    case simdjson::TAPE_ERROR: return "malformed structure (a missing or extra comma, colon, brace or bracket)";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "an object or array is not closed, or text follows the JSON value";
    case simdjson::DEPTH_ERROR: return "objects or arrays nested too deeply";
    case simdjson::STRING_ERROR: return "invalid escape in a string";
    case simdjson::UNCLOSED_STRING: return "unclosed string";
    case simdjson::UNESCAPED_CHARS: return "unescaped control character in a string";
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::NUMBER_ERROR: return "malformed number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR: return "invalid literal (expected true or false)";
    case simdjson::N_ATOM_ERROR: return "invalid literal (expected null)";
    case simdjson::TRAILING_CONTENT: return "text follows the JSON value";
    case simdjson::CAPACITY: return "line too long";
    case simdjson::MEMALLOC: return "out of memory";
    default: return simdjson::error_message(error);
  }
}

std::string_view type_name(od::json_type type) {
  switch (type) {
    case od::json_type::object: return "object";
    case od::json_type::array: return "array";
    case od::json_type::number: return "number";
    case od::json_type::string: return "string";
    case od::json_type::boolean: return "bool";
    case od::json_type::null: return "null";
  }
  return "value";
}

std::string describe_found(od::value& value, od::json_type type) {
  std::string out(type_name(type));
  if (type == od::json_type::object || type == od::json_type::array || type == od::json_type::null) return out;
  return out + " " + excerpt(token(value));
}

}  // namespace flow::runtime::json

// flow_rt: string helpers. Everything is bytewise on UTF-8 except the code
// point count and case mapping, which use Unicode (ICU, root locale).
#include <unicode/casemap.h>

#include <cstring>
#include <limits>
#include <new>
#include <string_view>

#include "rt_abi/arena.h"

namespace {

std::string_view view(const char* data, uint64_t size) {
  return {data, static_cast<size_t>(size)};
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

enum class Case { Lower, Upper };

int32_t map_case(FlowArena* arena, const char* s, uint64_t size, FlowStr* out, Case which) {
  try {
    std::string_view text = view(s, size);
    if (is_ascii(text)) {
      // The common case, and the same result as ICU's root-locale mapping.
      char* dest = static_cast<char*>(arena->allocate(size, 1));
      for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (which == Case::Lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (which == Case::Upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        dest[i] = c;
      }
      *out = FlowStr{dest, size};
      return FLOW_RT_OK;
    }
    if (size > static_cast<uint64_t>(std::numeric_limits<int32_t>::max() / 3)) return FLOW_RT_OUT_OF_MEMORY;
    auto run = [&](char* dest, int32_t capacity, UErrorCode& status) {
      return which == Case::Lower
                 ? icu::CaseMap::utf8ToLower("", 0, s, static_cast<int32_t>(size), dest, capacity, nullptr, status)
                 : icu::CaseMap::utf8ToUpper("", 0, s, static_cast<int32_t>(size), dest, capacity, nullptr, status);
    };
    // Usually the mapped text has the input's length; retry once with the
    // exact size ICU reports when it grows ("ß" -> "SS").
    int32_t capacity = static_cast<int32_t>(size);
    char* dest = static_cast<char*>(arena->allocate(size, 1));
    UErrorCode status = U_ZERO_ERROR;
    int32_t length = run(dest, capacity, status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      capacity = length;
      dest = static_cast<char*>(arena->allocate(static_cast<uint64_t>(capacity), 1));
      status = U_ZERO_ERROR;
      length = run(dest, capacity, status);
    }
    if (U_FAILURE(status)) return FLOW_RT_OUT_OF_MEMORY;
    *out = FlowStr{dest, static_cast<uint64_t>(length)};
    return FLOW_RT_OK;
  } catch (const std::bad_alloc&) {
    return FLOW_RT_OUT_OF_MEMORY;
  }
}

}  // namespace

extern "C" {

int64_t flow_rt_str_len(const char* data, uint64_t size) {
  int64_t count = 0;
  for (uint64_t i = 0; i < size; ++i) {
    if ((static_cast<unsigned char>(data[i]) & 0xC0) != 0x80) ++count;
  }
  return count;
}

int32_t flow_rt_str_compare(const char* a, uint64_t a_size, const char* b, uint64_t b_size) {
  int c = view(a, a_size).compare(view(b, b_size));  // char_traits<char>::compare is memcmp: unsigned bytes
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

int32_t flow_rt_str_eq(const char* a, uint64_t a_size, const char* b, uint64_t b_size) {
  return view(a, a_size) == view(b, b_size);
}

int32_t flow_rt_str_starts_with(const char* s, uint64_t s_size, const char* p, uint64_t p_size) {
  return view(s, s_size).starts_with(view(p, p_size));
}

int32_t flow_rt_str_ends_with(const char* s, uint64_t s_size, const char* p, uint64_t p_size) {
  return view(s, s_size).ends_with(view(p, p_size));
}

int32_t flow_rt_str_contains(const char* s, uint64_t s_size, const char* p, uint64_t p_size) {
  return view(s, s_size).find(view(p, p_size)) != std::string_view::npos;
}

int32_t flow_rt_str_concat(FlowArena* arena, const char* a, uint64_t a_size, const char* b, uint64_t b_size,
                           FlowStr* out) {
  try {
    char* dest = static_cast<char*>(arena->allocate(a_size + b_size, 1));
    if (a_size) std::memcpy(dest, a, a_size);
    if (b_size) std::memcpy(dest + a_size, b, b_size);
    *out = FlowStr{dest, a_size + b_size};
    return FLOW_RT_OK;
  } catch (const std::bad_alloc&) {
    return FLOW_RT_OUT_OF_MEMORY;
  }
}

int32_t flow_rt_str_lower(FlowArena* arena, const char* s, uint64_t size, FlowStr* out) {
  return map_case(arena, s, size, out, Case::Lower);
}

int32_t flow_rt_str_upper(FlowArena* arena, const char* s, uint64_t size, FlowStr* out) {
  return map_case(arena, s, size, out, Case::Upper);
}

}  // extern "C"

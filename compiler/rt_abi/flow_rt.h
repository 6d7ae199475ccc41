/* flow_rt: the C-ABI runtime support library shared by both back ends.
 *
 * The reference interpreter (compiler/eval) and JIT-compiled rule code call
 * these same functions for everything whose semantics is easy to get subtly
 * wrong: checked integer arithmetic, float-to-int conversion, strings (UTF-8
 * code point counting, Unicode case mapping, bytewise comparison), regular
 * expressions (RE2, each pattern compiled once into a table), and calendar
 * functions over microsecond timestamps; decimals have their own header,
 * flow_rt_decimal.h. Keeping one implementation is what makes the two back
 * ends agree (docs/evaluation.md states the semantics).
 *
 * The interface is plain C so generated code can call it without C++ name
 * mangling or exceptions: strings cross it as (pointer, byte size) pairs of
 * scalars (never structs by value, which LLVM callers would have to lower to
 * the platform ABI by hand); results that can fail come back through an out
 * pointer with a FlowRtStatus return. Nothing here throws or aborts.
 */
#ifndef FLOW_RT_H
#define FLOW_RT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Shared value shapes (docs/event-layout.md) ------------------------- */

/** A string value: a view of UTF-8 bytes (not NUL-terminated). */
typedef struct FlowStr {
  const char* data;
  uint64_t size; /* bytes */
} FlowStr;

/** A list value: a view of `count` contiguous element slots. */
typedef struct FlowList {
  const void* data;
  uint64_t count;
} FlowList;

/** A map<string, T> value: `count` entries sorted by key (bytewise, a
 *  shorter key before a longer one that starts with it), keys unique. Each
 *  entry is a FlowStr key at offset 0 and T's element slot at offset 16;
 *  the entry size is that, rounded up to 8 (flow::layout::map_entry_slot). */
typedef struct FlowMap {
  const void* entries;
  uint64_t count;
} FlowMap;

/** Outcome of a fallible helper. Values match ir/eval's EvalErrorKind. */
typedef enum FlowRtStatus {
  FLOW_RT_OK = 0,
  FLOW_RT_DIVISION_BY_ZERO = 1,
  FLOW_RT_OVERFLOW = 2,
  FLOW_RT_INDEX_OUT_OF_RANGE = 3,
  FLOW_RT_INVALID_NUMBER = 4, /* NaN, infinity or out of int range where an int is needed */
  FLOW_RT_ABSENT_VALUE = 5,   /* an absent optional used where a value is needed */
  FLOW_RT_OUT_OF_MEMORY = 6,
} FlowRtStatus;

/** A short English description of a status ("integer overflow"). */
const char* flow_rt_status_message(int32_t status);

/* ---- Arena ---------------------------------------------------------------
 * Bump allocator for event instances, their strings and lists, and the
 * strings helpers produce during one evaluation. Freed all at once. */

typedef struct FlowArena FlowArena;

FlowArena* flow_rt_arena_create(void);
void flow_rt_arena_destroy(FlowArena* arena);
/** Frees everything allocated so far but keeps the first block for reuse. */
void flow_rt_arena_reset(FlowArena* arena);
/** Uninitialised memory; `align` is a power of two <= 16. NULL when out of memory. */
void* flow_rt_arena_alloc(FlowArena* arena, uint64_t size, uint64_t align);
/** Bytes handed out since creation or the last reset. */
uint64_t flow_rt_arena_used(const FlowArena* arena);

/* ---- Checked integer arithmetic (int, timestamp and duration) -----------
 * Division truncates toward zero and `%` takes the sign of the dividend, as in
 * C, Java, Rust and Go. INT64_MIN / -1 overflows; INT64_MIN % -1 is 0. */

int32_t flow_rt_int_add(int64_t a, int64_t b, int64_t* out);
int32_t flow_rt_int_sub(int64_t a, int64_t b, int64_t* out);
int32_t flow_rt_int_mul(int64_t a, int64_t b, int64_t* out);
int32_t flow_rt_int_div(int64_t a, int64_t b, int64_t* out);
int32_t flow_rt_int_mod(int64_t a, int64_t b, int64_t* out);
int32_t flow_rt_int_neg(int64_t a, int64_t* out);
int32_t flow_rt_int_abs(int64_t a, int64_t* out);

/* ---- Floats ---------------------------------------------------------------
 * IEEE double, except that `/` and `%` by zero (either sign) are a
 * FLOW_RT_DIVISION_BY_ZERO error: language.md §6 makes division by zero an
 * evaluation error without distinguishing int from float. */

int32_t flow_rt_float_div(double a, double b, double* out);
/** fmod: the result has the sign of `a`. */
int32_t flow_rt_float_mod(double a, double b, double* out);
/** Half away from zero. NaN, infinities and results outside int64 fail. */
int32_t flow_rt_float_round(double x, int64_t* out);
int32_t flow_rt_float_floor(double x, int64_t* out);
int32_t flow_rt_float_ceil(double x, int64_t* out);
/** min/max; NaN in either operand gives NaN; min(-0.0, 0.0) is -0.0. */
double flow_rt_float_min(double a, double b);
double flow_rt_float_max(double a, double b);

/* ---- Strings --------------------------------------------------------------
 * Bytewise on UTF-8 (bytewise order is code point order for valid UTF-8). */

/** Number of Unicode code points (bytes that are not UTF-8 continuation bytes). */
int64_t flow_rt_str_len(const char* data, uint64_t size);
/** -1, 0 or 1, bytewise (unsigned), a proper prefix is smaller. */
int32_t flow_rt_str_compare(const char* a, uint64_t a_size, const char* b, uint64_t b_size);
int32_t flow_rt_str_eq(const char* a, uint64_t a_size, const char* b, uint64_t b_size);
int32_t flow_rt_str_starts_with(const char* s, uint64_t s_size, const char* p, uint64_t p_size);
int32_t flow_rt_str_ends_with(const char* s, uint64_t s_size, const char* p, uint64_t p_size);
/** Substring test; the empty string is contained in every string. */
int32_t flow_rt_str_contains(const char* s, uint64_t s_size, const char* p, uint64_t p_size);
/** a + b into the arena. */
int32_t flow_rt_str_concat(FlowArena* arena, const char* a, uint64_t a_size, const char* b, uint64_t b_size,
                           FlowStr* out);
/** Full Unicode case mapping (ICU, root locale: no language-specific rules,
 *  so "ß" upper-cases to "SS" and "I" lower-cases to "i"). Ill-formed UTF-8
 *  bytes are kept as they are. The result lives in the arena. */
int32_t flow_rt_str_lower(FlowArena* arena, const char* s, uint64_t size, FlowStr* out);
int32_t flow_rt_str_upper(FlowArena* arena, const char* s, uint64_t size, FlowStr* out);

/* ---- Regular expressions --------------------------------------------------
 * `matches(s, "re")` patterns are literals, so lowering collects them into a
 * per-program list; the table compiles each once (RE2 syntax, UTF-8) and
 * rule code refers to a pattern by its index. */

typedef struct FlowRegexTable FlowRegexTable;

/** Compiles `count` patterns. Returns NULL when one does not compile (the
 *  checker has already rejected such programs) and then writes the index of
 *  the first bad pattern to `bad_index` when it is not NULL. */
FlowRegexTable* flow_rt_regex_table_create(const FlowStr* patterns, uint32_t count, uint32_t* bad_index);
void flow_rt_regex_table_destroy(FlowRegexTable* table);
uint32_t flow_rt_regex_table_size(const FlowRegexTable* table);
/** 1 when pattern `id` matches somewhere in the string (unanchored search,
 *  like RE2::PartialMatch; write ^...$ for a whole-string match), else 0.
 *  An id outside the table gives 0. */
int32_t flow_rt_regex_match(const FlowRegexTable* table, uint32_t id, const char* s, uint64_t size);

/* ---- Evaluation context of JIT-compiled code ------------------------------
 * Every native rule function (docs/ir.md, "Native ABI") receives one. The
 * caller fills the inputs; the callee writes the error fields only when it
 * returns a non-zero status, so a context can be reused across calls without
 * clearing them. Field offsets are part of the ABI: generated code reads them
 * at fixed positions (static_asserts in compiler/codegen pin them). */

typedef struct FlowRtContext FlowRtContext;

/** Called after each rule or decision call a native function makes
 *  (callees first; not for the called function itself): the callee's IR
 *  function id, its status, and its result slot (meaningful when the status
 *  is FLOW_RT_OK). For the journal's decision records. Must not unwind. */
typedef void (*FlowRtTraceHook)(FlowRtContext* ctx, uint32_t function_id, int32_t status, const void* result);

struct FlowRtContext {
  /* Inputs */
  int64_t now_us;                /* now(): the dispatch time, µs since the epoch */
  FlowArena* arena;              /* strings and lists made during evaluation */
  const FlowRegexTable* regexes; /* the program's `matches` patterns */
  /* Outputs on error */
  uint32_t error_site;     /* which operation failed (codegen's error-site table) */
  uint32_t reserved;       /* padding; always 0 */
  int64_t error_detail[2]; /* FLOW_RT_INDEX_OUT_OF_RANGE: the index and the list length */
  /* Optional tracing: NULL for none (the fast path) */
  FlowRtTraceHook trace;
  void* trace_data; /* for the hook */
};

/* ---- Time -----------------------------------------------------------------
 * Timestamps are microseconds since 1970-01-01T00:00:00Z (UTC, no leap
 * seconds); durations are microseconds. */

/** 0..23, the UTC hour. */
int64_t flow_rt_time_hour(int64_t ts);
/** 1 = Monday .. 7 = Sunday (ISO 8601), UTC. */
int64_t flow_rt_time_weekday(int64_t ts);
/** Midnight UTC of the day of `ts`; fails only for timestamps within a day of
 *  the int64 minimum, whose midnight is not representable. */
int32_t flow_rt_time_date(int64_t ts, int64_t* out);

#ifdef __cplusplus
}
#endif

#endif /* FLOW_RT_H */

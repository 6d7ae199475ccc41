/* flow_rt maps: building and searching the sorted entry arrays of FlowMap.
 *
 * A map<string, T> value is `count` entries of one size, each a FlowStr key
 * at offset 0 followed by T's element slot (flow_rt.h, FlowMap), sorted by
 * key bytewise (flow_rt_str_compare's order) with no key twice. These two
 * helpers are what a map literal and `m["k"]` / `has(m, "k")` need; both
 * back ends may call them, and JIT-compiled code does. They see entries as
 * opaque bytes apart from the key, so one implementation serves every value
 * type. Nothing here throws or aborts.
 */
#ifndef FLOW_RT_MAP_H
#define FLOW_RT_MAP_H

#include <stdint.h>

#include "rt_abi/flow_rt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The map of `count` entries of `entry_size` bytes at `entries`, in the
 *  order a map literal wrote them: sorted by key, and for a key written more
 *  than once the last entry kept. The result's entries are new arena memory
 *  (copies of the input's bytes); `entries` is left as it was. An empty
 *  input gives {NULL, 0}. FLOW_RT_OUT_OF_MEMORY when the arena runs out. */
int32_t flow_rt_map_build(FlowArena* arena, const void* entries, uint64_t count, uint64_t entry_size, FlowMap* out);

/** The entry of `key` in a map's `count` sorted entries of `entry_size`
 *  bytes (binary search), or NULL when there is none. */
const void* flow_rt_map_find(const void* entries, uint64_t count, uint64_t entry_size, const char* key,
                             uint64_t key_size);

#ifdef __cplusplus
}
#endif

#endif /* FLOW_RT_MAP_H */

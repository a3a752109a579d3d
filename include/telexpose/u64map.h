/* u64map.h - bounded open-addressing map from nonzero 64-bit keys to a
 * pointer, for the per-run sets of the observation and evidence stages
 * (MACs seen, evidence already written, vendor by address).
 *
 * Keys are hashes or packed addresses; 0 is remapped internally, so any
 * value may be used. The map grows up to max_entries and then refuses new
 * keys: callers treat a refused key as "not seen before", trading a
 * repeated event for bounded memory under a flood.
 */
#ifndef TELEXPOSE_U64MAP_H
#define TELEXPOSE_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct u64map_slot {
    uint64_t key;     /* 0 = empty */
    const void *val;
};

struct u64map {
    struct u64map_slot *slots; /* owned; free with u64map_free() */
    size_t mask;               /* slots - 1 (a power of two) */
    size_t n;
    size_t max_entries;
};

void u64map_init(struct u64map *m, size_t max_entries);
void u64map_free(struct u64map *m);

/* The slot of key, or NULL when absent. */
struct u64map_slot *u64map_find(const struct u64map *m, uint64_t key);

/* Insert key (val NULL) unless present. *slot (may be NULL) gets its slot,
 * or NULL when the map is full. Returns true when key was not present. */
bool u64map_add(struct u64map *m, uint64_t key, struct u64map_slot **slot);

size_t u64map_count(const struct u64map *m);

/* A MAC as a key: its 48 bits, plus bit 48 so that no key is 0. */
static inline uint64_t
u64map_mac_key(const uint8_t mac[6])
{
    uint64_t k = 0;
    for (int i = 0; i < 6; i++)
        k = k << 8 | mac[i];
    return k | 1ull << 48;
}

/* 64-bit hash of n bytes (FNV-1a with a final avalanche); seed varies it. */
uint64_t u64map_hash(const void *p, size_t n, uint64_t seed);

#endif /* TELEXPOSE_U64MAP_H */

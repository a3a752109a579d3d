/* u64map.c - bounded open-addressing map of 64-bit keys (linear probing). */
#include "telexpose/u64map.h"

#include <stdlib.h>

#include "telexpose/xalloc.h"

#define U64MAP_INIT 64

static uint64_t
remap(uint64_t key)
{
    return key == 0 ? 0x9e3779b97f4a7c15ull : key;
}

static size_t
slot_of(uint64_t key, size_t mask)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 32) & mask;
}

void
u64map_init(struct u64map *m, size_t max_entries)
{
    m->slots = NULL;
    m->mask = 0;
    m->n = 0;
    m->max_entries = max_entries;
}

void
u64map_free(struct u64map *m)
{
    free(m->slots);
    m->slots = NULL;
    m->mask = 0;
    m->n = 0;
}

struct u64map_slot *
u64map_find(const struct u64map *m, uint64_t key)
{
    if (m->slots == NULL)
        return NULL;
    key = remap(key);
    for (size_t i = slot_of(key, m->mask);; i = (i + 1) & m->mask) {
        if (m->slots[i].key == key)
            return &m->slots[i];
        if (m->slots[i].key == 0)
            return NULL;
    }
}

static void
grow(struct u64map *m)
{
    size_t cap = m->slots == NULL ? U64MAP_INIT : (m->mask + 1) * 2;
    struct u64map_slot *old = m->slots;
    size_t old_cap = m->slots == NULL ? 0 : m->mask + 1;
    m->slots = xcalloc(cap, sizeof(*m->slots));
    m->mask = cap - 1;
    for (size_t k = 0; k < old_cap; k++) {
        if (old[k].key == 0)
            continue;
        size_t i = slot_of(old[k].key, m->mask);
        while (m->slots[i].key != 0)
            i = (i + 1) & m->mask;
        m->slots[i] = old[k];
    }
    free(old);
}

bool
u64map_add(struct u64map *m, uint64_t key, struct u64map_slot **slot)
{
    struct u64map_slot *s = u64map_find(m, key);
    if (slot != NULL)
        *slot = s;
    if (s != NULL)
        return false;
    if (m->n >= m->max_entries)
        return true;
    /* Keep the load under 2/3 so probes stay short. */
    if (m->slots == NULL || (m->n + 1) * 3 > (m->mask + 1) * 2)
        grow(m);
    key = remap(key);
    size_t i = slot_of(key, m->mask);
    while (m->slots[i].key != 0)
        i = (i + 1) & m->mask;
    m->slots[i].key = key;
    m->slots[i].val = NULL;
    m->n++;
    if (slot != NULL)
        *slot = &m->slots[i];
    return true;
}

size_t
u64map_count(const struct u64map *m)
{
    return m->n;
}

uint64_t
u64map_hash(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ull ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    /* FNV's low bits mix poorly; finish with splitmix64's avalanche. */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

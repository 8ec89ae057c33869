package org.rpg4j.dl4j.graph;

import java.util.Arrays;

/**
 * Union-find over activation positions (one position = one channel of one activation, or one unit
 * of a dense activation). Positions joined here are the same channel: removing one removes all.
 * Each set can carry a lock reason (the first one given wins).
 */
final class PositionSets {
    private int[] parent = new int[1024];
    private String[] lock = new String[1024];
    private int size;

    /** @return {@code n} fresh positions, each in its own set */
    int[] fresh(int n) {
        ensure(size + n);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            parent[size] = size;
            ids[i] = size++;
        }
        return ids;
    }

    int find(int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra == rb) {
            return;
        }
        parent[rb] = ra;
        if (lock[ra] == null) {
            lock[ra] = lock[rb];
        }
    }

    /** Locks the set of every id, unless it is already locked. */
    void lock(int[] ids, String reason) {
        for (int id : ids) {
            int r = find(id);
            if (lock[r] == null) {
                lock[r] = reason;
            }
        }
    }

    /** @return the lock reason of the set of {@code id}, or null */
    String lockReason(int id) {
        return lock[find(id)];
    }

    int size() {
        return size;
    }

    private void ensure(int capacity) {
        if (capacity > parent.length) {
            int n = Math.max(capacity, parent.length * 2);
            parent = Arrays.copyOf(parent, n);
            lock = Arrays.copyOf(lock, n);
        }
    }
}

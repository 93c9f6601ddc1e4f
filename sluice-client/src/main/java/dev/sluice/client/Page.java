package dev.sluice.client;

import java.util.List;

/**
 * One page of a list answer. Ask for the next page with {@code nextCursor}; null means this is the last.
 */
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** True when there is a page after this one. */
    public boolean hasNext() {
        return nextCursor != null;
    }
}

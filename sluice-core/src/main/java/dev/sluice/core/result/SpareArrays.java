package dev.sluice.core.result;

import java.lang.ref.SoftReference;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The arrays one finished load or assembly leaves for the next ({@link DuplicateIndex}, {@link LaterCopies}), so
 * that what lives through a whole job is not promoted anew and left as old-generation garbage each time. One set
 * is kept, held softly: the collector drops it when the heap runs short rather than fail an allocation.
 * Thread-safe: a set is taken by one user at a time.
 */
final class SpareArrays<T> {

    private final AtomicReference<SoftReference<T>> held = new AtomicReference<>();

    /** Takes the kept set, or null when none is kept (or the collector dropped it). */
    T take() {
        SoftReference<T> kept = held.getAndSet(null);
        return kept == null ? null : kept.get();
    }

    /** Keeps {@code arrays} for the next {@link #take}, in place of any set kept before. */
    void keep(T arrays) {
        held.set(new SoftReference<>(arrays));
    }
}

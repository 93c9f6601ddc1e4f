package dev.sluice.server.job;

import java.util.Locale;

/** A chunk is pending until its result part is written and its counters are added, once. */
public enum ChunkStatus {
    /** Not processed yet, or processed by a worker that died before recording it. */
    PENDING,
    /** Its result part is stored and its counters were added to the batch. */
    DONE;

    public boolean canMoveTo(ChunkStatus next) {
        return this == PENDING && next == DONE;
    }

    /** Throws {@link IllegalTransitionException} unless {@code this -> next} is allowed. */
    public void checkMoveTo(ChunkStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
    }

    public boolean isFinal() {
        return this == DONE;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

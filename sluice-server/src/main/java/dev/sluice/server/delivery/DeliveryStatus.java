package dev.sluice.server.delivery;

import dev.sluice.server.job.IllegalTransitionException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Where a notification's outbox row stands. */
public enum DeliveryStatus {

    /** Waiting for its next attempt (the first, a retry or a redelivery). */
    PENDING,
    /** A receiver answered 2xx; no automatic attempt follows. */
    DELIVERED,
    /** Every attempt failed, or the URL was refused; only a redelivery sends it again. */
    FAILED;

    /** Every allowed move, written positively; a redelivery may start from any status. */
    private static final Map<DeliveryStatus, Set<DeliveryStatus>> MOVES = Map.of(
            PENDING, EnumSet.of(PENDING, DELIVERED, FAILED),
            DELIVERED, EnumSet.of(PENDING),
            FAILED, EnumSet.of(PENDING));

    public boolean canMoveTo(DeliveryStatus to) {
        return MOVES.get(this).contains(to);
    }

    /** Throws {@link IllegalTransitionException} unless the table allows {@code this -> to}. */
    public void requireMoveTo(DeliveryStatus to) {
        if (!canMoveTo(to)) {
            throw new IllegalTransitionException(this, to);
        }
    }

    /** The wire and database spelling, e.g. {@code delivered}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}

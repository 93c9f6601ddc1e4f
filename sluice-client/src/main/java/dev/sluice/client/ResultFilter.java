package dev.sluice.client;

import java.util.List;

/**
 * Which rows of a verify result a filtered download keeps (see {@link SluiceClient#result(String, String,
 * ResultFilter)}): rows whose status is one of {@code statuses} (all when empty) and, when {@code safeToSend} is
 * set, whose {@code sluice_safe_to_send} equals it.
 *
 * @param statuses   status wire names: {@code valid}, {@code invalid}, {@code accept_all}, {@code unknown}
 * @param safeToSend the {@code sluice_safe_to_send} value to keep, or null for any
 */
public record ResultFilter(List<String> statuses, Boolean safeToSend) {

    public ResultFilter {
        statuses = List.copyOf(statuses);
        if (statuses.isEmpty() && safeToSend == null) {
            throw new IllegalArgumentException("a filter names at least one status or safe_to_send");
        }
    }

    /** Only the rows of these statuses, e.g. {@code statuses("valid", "accept_all")}. */
    public static ResultFilter statuses(String... statuses) {
        return new ResultFilter(List.of(statuses), null);
    }

    /** Only the rows the server marks safe to send. */
    public static ResultFilter onlySafeToSend() {
        return new ResultFilter(List.of(), Boolean.TRUE);
    }
}

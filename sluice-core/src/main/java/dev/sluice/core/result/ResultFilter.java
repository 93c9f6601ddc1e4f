package dev.sluice.core.result;

import dev.sluice.core.verify.VerdictStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which rows of a verify result a filtered download keeps: rows whose {@code sluice_status} is one of
 * {@code statuses} and, when {@code safeToSend} is set, whose {@code sluice_safe_to_send} equals it. The filter
 * has a canonical {@link #key()}, so the file made for it once is found again for the same filter however the
 * request spelled it.
 *
 * @param statuses   the statuses kept; all four when the request named none
 * @param safeToSend the {@code sluice_safe_to_send} value kept, or null for any
 */
public record ResultFilter(Set<VerdictStatus> statuses, Boolean safeToSend) {

    /** The column {@link #safeToSend} reads; written by the scoring stage, absent from older results. */
    public static final String SAFE_TO_SEND_COLUMN = "sluice_safe_to_send";

    private static final String SAFE = "safe_to_send";
    private static final String NOT_SAFE = "not_safe_to_send";

    public ResultFilter {
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("a filter keeps at least one status");
        }
        statuses = Set.copyOf(EnumSet.copyOf(statuses));
    }

    /**
     * The filter of a request's {@code status} (comma-separated status names) and {@code safe_to_send}
     * ({@code true} or {@code false}) parameters; empty when neither is given, i.e. the whole result.
     *
     * @throws IllegalArgumentException naming the value that is not a status or not a boolean
     */
    public static Optional<ResultFilter> parse(String status, String safeToSend) {
        if (status == null && safeToSend == null) {
            return Optional.empty();
        }
        Set<VerdictStatus> statuses = EnumSet.noneOf(VerdictStatus.class);
        if (status == null) {
            statuses = EnumSet.allOf(VerdictStatus.class);
        } else {
            for (String name : status.split(",", -1)) {
                statuses.add(status(name.strip()));
            }
        }
        Boolean safe = null;
        if (safeToSend != null) {
            safe = switch (safeToSend.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException(
                        "safe_to_send must be true or false, not \"" + safeToSend + "\"");
            };
        }
        return Optional.of(new ResultFilter(statuses, safe));
    }

    private static VerdictStatus status(String name) {
        for (VerdictStatus status : VerdictStatus.values()) {
            if (status.wire().equalsIgnoreCase(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown status \"" + name + "\"; allowed: "
                + Arrays.stream(VerdictStatus.values()).map(VerdictStatus::wire).collect(Collectors.joining(", ")));
    }

    /**
     * The canonical name of this filter, safe in a file name and a URL path: the kept statuses in their
     * declared order joined by {@code -} (left out when all four are kept), then {@code safe_to_send} or
     * {@code not_safe_to_send}; {@code all} for a filter that keeps everything. E.g. {@code valid-accept_all}.
     */
    public String key() {
        StringBuilder key = new StringBuilder();
        if (statuses.size() < VerdictStatus.values().length) {
            key.append(Arrays.stream(VerdictStatus.values()).filter(statuses::contains).map(VerdictStatus::wire)
                    .collect(Collectors.joining("-")));
        }
        if (safeToSend != null) {
            key.append(key.isEmpty() ? "" : "-").append(safeToSend ? SAFE : NOT_SAFE);
        }
        return key.isEmpty() ? "all" : key.toString();
    }

    /**
     * The filter whose {@link #key()} is {@code key}.
     *
     * @throws IllegalArgumentException when {@code key} is not a key this class wrote
     */
    public static ResultFilter fromKey(String key) {
        Set<VerdictStatus> statuses = EnumSet.noneOf(VerdictStatus.class);
        Boolean safe = null;
        if (!key.equals("all")) {
            for (String part : key.split("-", -1)) {
                switch (part) {
                    case SAFE -> safe = Boolean.TRUE;
                    case NOT_SAFE -> safe = Boolean.FALSE;
                    default -> statuses.add(status(part));
                }
            }
        }
        ResultFilter filter = new ResultFilter(statuses.isEmpty() ? EnumSet.allOf(VerdictStatus.class) : statuses,
                safe);
        if (!filter.key().equals(key)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a filter key; its canonical form is "
                    + filter.key());
        }
        return filter;
    }

    /**
     * Copies the rows of {@code result} this filter keeps to {@code out}, in order, in the result's format;
     * answers how many it kept.
     *
     * @throws MissingColumnException when the filter reads {@code sluice_safe_to_send} and the result has none
     */
    public long copy(ResultFormat format, InputStream result, OutputStream out) throws IOException {
        Set<String> statusNames = statuses.stream().map(VerdictStatus::wire).collect(Collectors.toSet());
        String safe = safeToSend == null ? null : safeToSend.toString();
        return ResultRows.copy(format, result, out, new ResultRows.Keep() {
            @Override
            public void columns(List<String> columns) {
                if (columns.isEmpty()) {
                    return; // an empty JSON result: no rows, nothing to check
                }
                if (!columns.contains(ResultColumns.STATUS)) {
                    throw new MissingColumnException(ResultColumns.STATUS);
                }
                if (safe != null && !columns.contains(SAFE_TO_SEND_COLUMN)) {
                    throw new MissingColumnException(SAFE_TO_SEND_COLUMN);
                }
            }

            @Override
            public boolean keeps(ResultRows.Row row) {
                return statusNames.contains(row.get(ResultColumns.STATUS))
                        && (safe == null || safe.equalsIgnoreCase(row.get(SAFE_TO_SEND_COLUMN)));
            }
        });
    }
}

package dev.sluice.client;

import java.time.Instant;
import java.util.List;

/**
 * A reference-data table of the account.
 *
 * @param key     the columns whose values identify a record
 * @param records how many records it holds; null in lists (only {@link SluiceClient#dataset} counts them)
 */
public record Dataset(String name, List<Column> columns, List<String> key, Long records, Instant createdAt) {

    /**
     * One typed column.
     *
     * @param type {@code string}, {@code integer}, {@code decimal}, {@code boolean}, {@code date},
     *             {@code timestamp} or {@code email}
     */
    public record Column(String name, String type, boolean required) {

        /** An optional column of {@code type}. */
        public static Column of(String name, String type) {
            return new Column(name, type, false);
        }
    }
}

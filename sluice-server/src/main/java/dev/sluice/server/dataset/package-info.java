/**
 * Reference datasets: schemas with typed columns and a key, one real table per dataset (with a unique
 * index on the key), records by key and in pages. The import, append and export operations read and
 * change datasets through this package. Uses {@code account}, {@code store} and {@code problem}.
 */
package dev.sluice.server.dataset;

/**
 * Reference datasets as data: column types and their parsers, columns, schemas with keys. Pure Java; the
 * server stores datasets as real tables.
 */
package dev.sluice.core.dataset;

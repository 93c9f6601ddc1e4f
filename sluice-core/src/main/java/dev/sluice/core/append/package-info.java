/**
 * Append: the pure-Java half of matching input records to a dataset. {@link dev.sluice.core.append.Normalizer}
 * turns a key value into its canonical form per column rule (generic, address, zip, email),
 * {@link dev.sluice.core.append.MatchKey} combines the match columns of a record into one comparable key and
 * decides the {@link dev.sluice.core.append.MatchCode}, and {@link dev.sluice.core.append.AppendResult}
 * writes result parts that assemble by concatenation. Uses ICU4J, FastCSV, Jackson's streaming generator and
 * {@code core.result}'s assembler, and nothing of the server.
 */
package dev.sluice.core.append;

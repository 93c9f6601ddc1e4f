/**
 * Result: writes one result part per chunk ({@link dev.sluice.core.result.VerifyPass}) and streams the
 * parts into the finished result file ({@link dev.sluice.core.result.ResultAssembler}) in CSV, JSON or
 * NDJSON. Parts are designed to be concatenated without being parsed again, so assembling a result of
 * millions of rows is a byte copy. A finished result is read back row by row, cells by column name
 * ({@link dev.sluice.core.result.ResultRows}), to copy only some rows ({@link dev.sluice.core.result.ResultFilter})
 * or to count it ({@link dev.sluice.core.result.ResultReport}). It uses the ingest chunk format, the verify
 * facade, FastCSV and Jackson's streaming parser and generator, and nothing else of ours.
 */
package dev.sluice.core.result;

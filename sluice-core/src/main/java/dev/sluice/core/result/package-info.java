/**
 * Result: writes one result part per chunk ({@link dev.sluice.core.result.VerifyPass}) and streams the
 * parts into the finished result file ({@link dev.sluice.core.result.ResultAssembler}) in CSV, JSON or
 * NDJSON. Parts are designed to be concatenated without being parsed again, so assembling a result of
 * millions of rows is a byte copy. It uses the ingest chunk format, the verify facade, FastCSV and
 * Jackson's streaming generator, and nothing else of ours.
 */
package dev.sluice.core.result;

/**
 * Export: streams typed records into a file in CSV, JSON, NDJSON or XML
 * ({@link dev.sluice.core.export.ExportWriter}), one record at a time so that no file size needs the heap,
 * and wraps files into a zip archive ({@link dev.sluice.core.export.ExportZip}). Uses the result formats of
 * {@code dev.sluice.core.result}, Jackson's streaming generator and the JDK's StAX writer, nothing else.
 */
package dev.sluice.core.export;

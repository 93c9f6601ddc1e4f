/**
 * The {@code sluice} command line: {@code serve} starts the server in this JVM, {@code bench} measures
 * whole jobs against a server started as a child process and driven through {@code sluice-client}.
 * Owns argument parsing, exit codes and what is printed; the work itself belongs to the server and the
 * client.
 */
package dev.sluice.cli;

/**
 * The {@code sluice} command line: {@code serve} starts the server in this JVM; the job commands
 * ({@code verify}, {@code import}, {@code append}, {@code export}, {@code jobs}, {@code datasets}) drive a
 * server through {@code sluice-client}, either the one named by {@code --server} or one started in this JVM
 * on the data directory; {@code bench} measures whole jobs against a server started as a child process.
 * Owns argument parsing, exit codes and what is printed; the work itself belongs to the server and the
 * client.
 */
package dev.sluice.cli;

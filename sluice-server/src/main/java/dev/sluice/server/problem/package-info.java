/**
 * The closed set of client-facing error codes and the exception that carries one. Every capability may
 * throw it; only {@code api} turns it into HTTP. Depends on nothing.
 */
package dev.sluice.server.problem;

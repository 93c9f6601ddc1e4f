/**
 * Configuration shared by every capability: the data directory, the choice of store (SQLite file or
 * PostgreSQL) with its migrations, and the node's identity. It may use {@code store} and nothing above it.
 */
package dev.sluice.server.config;

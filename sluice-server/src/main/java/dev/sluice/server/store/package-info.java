/**
 * What every store shares: the SQL dialects, identifiers, and secrets all nodes agree on. Capability
 * stores ({@code *Store} classes in their own packages) hold their SQL as text blocks with named
 * parameters; this package depends on no capability.
 */
package dev.sluice.server.store;

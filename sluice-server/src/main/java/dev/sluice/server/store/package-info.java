/**
 * What every store shares: the SQL dialects (one class per database behind {@link
 * dev.sluice.server.store.Dialect}, the only classes that know which database they talk to), identifiers,
 * secrets all nodes agree on, and the sealing of passwords in URIs clients give
 * ({@link dev.sluice.server.store.UriPasswords}). Capability
 * stores ({@code *Store} classes in their own packages) hold their SQL as text blocks with named
 * parameters; this package depends on no capability.
 */
package dev.sluice.server.store;

/**
 * Accounts (tenants) and API keys: creation, the admin bootstrap on first start, and recognising the
 * caller of a request. Keys are stored as hashes only. Uses {@code store}.
 */
package dev.sluice.server.account;

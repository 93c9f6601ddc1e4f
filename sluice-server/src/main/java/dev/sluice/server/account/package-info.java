/**
 * Accounts (tenants) and API keys: creation, the admin bootstrap on first start, and recognising the
 * caller of a request, and each account's credit balance ({@code CreditStore}: unlimited unless set, charged
 * by the email verification front door, set through the native API). Keys are stored as hashes only. Uses
 * {@code store}.
 */
package dev.sluice.server.account;

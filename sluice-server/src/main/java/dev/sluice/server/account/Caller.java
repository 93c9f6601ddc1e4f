package dev.sluice.server.account;

/** Who is making a request: the account and the kind of key it used. */
public record Caller(Account account, String keyId, ApiKeyKind keyKind) {

    public String accountId() {
        return account.id();
    }

    /**
     * Whether this key may mint keys, revoke them, or read and rotate credentials (SFTP password, webhook
     * secret). An evaluation key may not: with that power its record cap would be decorative.
     */
    public boolean mayManageCredentials() {
        return keyKind != ApiKeyKind.EVALUATION;
    }

    /** The most records one file may hold for this caller. */
    public long recordLimit(long configured) {
        return keyKind == ApiKeyKind.EVALUATION ? Math.min(configured, ApiKeyKind.EVALUATION_RECORD_LIMIT) : configured;
    }
}

package dev.sluice.server.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * On the first start, with no account in the store, creates the admin account. Its key is
 * {@code SLUICE_BOOTSTRAP_API_KEY} when set, otherwise generated and printed once.
 *
 * <p>It runs once every singleton exists (the schema is migrated by then) and before the context starts
 * its lifecycle beans, the web server among them: when the HTTP port answers, the admin key works. As an
 * {@code ApplicationRunner} it ran after the port opened, and a client starting right after
 * {@code sluice serve} met 401 for seconds.
 */
@Component
class AdminBootstrap implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AccountService accounts;
    private final String bootstrapKey;

    AdminBootstrap(AccountService accounts, @Value("${SLUICE_BOOTSTRAP_API_KEY:}") String bootstrapKey) {
        this.accounts = accounts;
        this.bootstrapKey = bootstrapKey;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (accounts.hasAccounts()) {
            return;
        }
        boolean given = !bootstrapKey.isBlank();
        IssuedKey key;
        try {
            key = accounts.createAccount("admin", true, ApiKeyKind.LIVE, given ? bootstrapKey.strip() : null);
        } catch (DuplicateKeyException e) {
            // Several nodes started at once on one database, and another one created the admin first.
            log.info("the admin account was created by another node");
            return;
        }
        if (given) {
            log.info("Created the admin account {} with the key from SLUICE_BOOTSTRAP_API_KEY", key.accountId());
        } else {
            // Printed, not logged: it is shown exactly once and must not end up in log shipping.
            System.out.println();
            System.out.println("  Sluice created the admin account " + key.accountId() + ".");
            System.out.println("  Its API key (shown only now, keep it):  " + key.key());
            System.out.println();
        }
    }
}

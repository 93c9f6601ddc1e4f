package dev.sluice.server.delivery;

import java.time.Clock;
import org.springframework.stereotype.Component;

/** The per-account signing secret: created on first need, rotated on request. */
@Component
class WebhookSecrets {

    private final WebhookSecretStore store;
    private final Clock clock;

    WebhookSecrets(WebhookSecretStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    WebhookSecretStore.Secret getOrCreate(String accountId) {
        return store.find(accountId).orElseGet(() -> {
            store.insertIfAbsent(accountId, WebhookSigner.newSecret(), clock.instant());
            return store.find(accountId).orElseThrow();
        });
    }

    WebhookSecretStore.Secret rotate(String accountId) {
        store.upsert(accountId, WebhookSigner.newSecret(), clock.instant());
        return store.find(accountId).orElseThrow();
    }
}

package dev.sluice.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An account made through the native API ({@code POST /api/v1/accounts} with the admin key), as every test
 * that needs a second caller, or one fresh account per test, makes it: its id, its name and its first live
 * key.
 *
 * @param id the account's id
 * @param name the name it was created with
 * @param key its first live API key, in full
 * @param keyId that key's id
 */
public record Tenant(String id, String name, String key, String keyId) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Creates the account {@code name} on the server {@code http} talks to; fails the test unless 201. */
    public static Tenant create(Http http, String adminKey, String name) {
        Http.Response created = http.postJson("/api/v1/accounts", adminKey,
                "{\"name\":" + JSON.writeValueAsString(name) + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode account = created.json();
        return new Tenant(account.get("id").asString(), name, account.get("api_key").get("key").asString(),
                account.get("api_key").get("id").asString());
    }
}

package dev.sluice.server.ingest;

import dev.sluice.server.store.Ids;
import dev.sluice.server.store.SecretStore;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Signs and checks links that work without an API key (uploads, downloads): HMAC-SHA256 over the method,
 * the path and the expiry, with a key kept in the store so every node honours every other node's links.
 */
@Component
public class UrlSigner {

    /** The answer to checking a signed link. */
    public enum Check {
        /** Signature matches and the link has not expired. */
        VALID,
        /** Signature matches but the expiry has passed. */
        EXPIRED,
        /** Missing or wrong signature, or a changed method, path or expiry. */
        INVALID
    }

    /** A signed link: the path, and the query string to add to it. */
    public record Signed(String path, Instant expiresAt, String query) {
        public String pathAndQuery() {
            return path + "?" + query;
        }
    }

    private static final String KEY_NAME = "url-signing-key";

    private final SecretKeySpec key;
    private final Clock clock;

    public UrlSigner(SecretStore secrets, Clock clock) {
        String secret = secrets.getOrCreate(KEY_NAME, () -> Ids.secret(32));
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    public Signed sign(String method, String path, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        return new Signed(path, Instant.ofEpochSecond(expires),
                "expires=" + expires + "&signature=" + signature(method, path, expires));
    }

    public Check check(String method, String path, String expires, String signature) {
        if (expires == null || signature == null) {
            return Check.INVALID;
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Check.INVALID;
        }
        byte[] expected = signature(method, path, expiresAt).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return Check.INVALID;
        }
        return clock.instant().getEpochSecond() > expiresAt ? Check.EXPIRED : Check.VALID;
    }

    private String signature(String method, String path, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal((method + "\n" + path + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}

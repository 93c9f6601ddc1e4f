package dev.sluice.server.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Passwords in the user info of URIs clients give us (source URIs with basic auth, notification URLs).
 * They are stored sealed (AES-256-GCM under a key all nodes share through {@link SecretStore}, written in
 * place of the password: {@code https://user:sealed1.<base64url>@host/...}), revealed only by what connects
 * (the source fetcher, the delivery worker), and shown as {@code user:***@} everywhere else.
 */
@Component
public class UriPasswords {

    /** What a sealed password starts with; base64url and dots are valid in a URI's user info. */
    static final String SEALED = "sealed1.";
    private static final String KEY_NAME = "uri-password-key";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** {@code scheme://user:password@}: the password never holds '@', '/', '?', '#' or blanks unencoded. */
    private static final Pattern PASSWORD = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^\\s/?#@:]*:)([^\\s/?#@]*)@");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretStore secrets;
    private volatile SecretKeySpec key;

    public UriPasswords(SecretStore secrets) {
        this.secrets = secrets;
    }

    /** {@code text} with every URI password in it replaced by {@code ***}; null stays null. */
    public static String mask(String text) {
        return text == null ? null : PASSWORD.matcher(text).replaceAll("$1***@");
    }

    /** A copy of {@code value} (maps, lists, strings) with every URI password in its strings masked. */
    public static Object maskAll(Object value) {
        return transform(value, UriPasswords::mask);
    }

    /** {@code uri} with its password sealed; one without a password, or sealed already, is answered as is. */
    public String seal(String uri) {
        if (uri == null) {
            return null;
        }
        Matcher m = PASSWORD.matcher(uri);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String password = m.group(2);
            String sealed = password.startsWith(SEALED) ? password : SEALED + encrypt(password);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + sealed + "@"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A copy of {@code options} with the passwords of the URIs in its strings sealed. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> sealAll(Map<String, Object> options) {
        return options == null ? null : (Map<String, Object>) transform(options, this::seal);
    }

    /** {@code uri} with a sealed password opened again, for the one connection that needs it. */
    public String reveal(String uri) {
        if (uri == null) {
            return null;
        }
        Matcher m = PASSWORD.matcher(uri);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String password = m.group(2);
            String plain = password.startsWith(SEALED) ? decrypt(password.substring(SEALED.length())) : password;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + plain + "@"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object transform(Object value, java.util.function.UnaryOperator<String> strings) {
        if (value instanceof String s) {
            return strings.apply(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, transform(v, strings)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(transform(v, strings)));
            return copy;
        }
        return value;
    }

    private String encrypt(String password) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(password.getBytes(StandardCharsets.UTF_8));
            byte[] all = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, all, 0, iv.length);
            System.arraycopy(sealed, 0, all, iv.length, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a URI password failed", e);
        }
    }

    private String decrypt(String text) {
        try {
            byte[] all = Base64.getUrlDecoder().decode(text);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a sealed URI password cannot be opened: the database's "
                    + KEY_NAME + " secret changed since it was sealed", e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec known = key;
        if (known == null) {
            String encoded = secrets.getOrCreate(KEY_NAME, () -> {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                return Base64.getEncoder().encodeToString(fresh);
            });
            known = new SecretKeySpec(Base64.getDecoder().decode(encoded), "AES");
            key = known;
        }
        return known;
    }
}

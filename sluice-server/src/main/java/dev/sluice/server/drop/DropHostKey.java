package dev.sluice.server.drop;

import dev.sluice.server.store.SecretStore;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The SSH host key every node presents, kept in the shared secrets table so that clients see one server
 * whichever node answers. Stored as text: {@code ec-p256 <X.509 public key> <PKCS#8 private key>}, both
 * base64. ECDSA P-256 because the JDK alone supports it on every platform SSHD runs on.
 */
final class DropHostKey {

    static final String SECRET_NAME = "sftp-host-key";

    private static final String FORMAT = "ec-p256";

    private DropHostKey() {
    }

    /** The shared host key, created by the first node that needs it. */
    static KeyPair load(SecretStore secrets) {
        return decode(secrets.getOrCreate(SECRET_NAME, DropHostKey::generate));
    }

    static String generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Base64.Encoder b64 = Base64.getEncoder();
            return FORMAT + " " + b64.encodeToString(pair.getPublic().getEncoded()) + " "
                    + b64.encodeToString(pair.getPrivate().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 SFTP host key with this JDK", e);
        }
    }

    static KeyPair decode(String text) {
        String[] parts = text.split(" ");
        if (parts.length != 3 || !parts[0].equals(FORMAT)) {
            throw new IllegalStateException("the stored secret '" + SECRET_NAME + "' is not an " + FORMAT
                    + " key pair; delete that row from the secrets table to have a new host key made");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            Base64.Decoder b64 = Base64.getDecoder();
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(b64.decode(parts[1]))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(b64.decode(parts[2]))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored secret '" + SECRET_NAME + "' cannot be read as a key pair; "
                    + "delete that row from the secrets table to have a new host key made", e);
        }
    }
}

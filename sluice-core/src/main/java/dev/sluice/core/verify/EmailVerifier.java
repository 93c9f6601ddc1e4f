package dev.sluice.core.verify;

import com.sanctionco.jmail.Email;
import com.sanctionco.jmail.EmailValidationResult;
import com.sanctionco.jmail.EmailValidator;
import com.sanctionco.jmail.FailureReason;
import com.sanctionco.jmail.JMail;
import com.google.common.net.InternetDomainName;
import com.ibm.icu.text.IDNA;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Verifies one email address; the facade of the verify capability. Thread-safe and allocation-light:
 * one instance serves a whole job across threads.
 *
 * <p>Offline stage, in order: blank cell; a cell holding more than a bare address (angle brackets,
 * display name, comment); strict syntax via JMail's {@link JMail#strictValidator() strict validator}
 * (no IP-literal domain, a top-level domain required, no source routes) plus: no one-character
 * top-level domain, no quoted display names, no obsolete whitespace; no quoted local part; IDN domain to
 * ASCII; RFC 5321 length limits on the ASCII form; the role flag. Quoted local parts
 * ({@code "john doe"@example.com}) are legal but refused by the big mailbox providers and sending
 * services, so mailing them from a bulk list only produces bounces.
 */
public final class EmailVerifier implements ChunkVerifier {

    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 255;
    static final int MAX_PATH = 254;
    /** Longest DNS label. */
    private static final int MAX_LABEL = 63;
    /** Longest address {@link #isPlainAddress} takes. */
    private static final int MAX_PLAIN_ADDRESS = 254;

    /**
     * The syntax rules a deployment may loosen.
     *
     * @param allowQuotedLocalPart accept {@code "john doe"@example.com}; default false, since the big
     *                             mailbox providers refuse such addresses
     * @param allowIpLiteral       accept {@code john@[192.0.2.1]}; default false
     * @param requirePublicSuffix  the domain must be under a public suffix ({@code .com}, {@code .co.uk}...)
     *                             of the public suffix list; default true
     */
    public record Options(boolean allowQuotedLocalPart, boolean allowIpLiteral, boolean requirePublicSuffix) {

        /** Sluice's defaults: strict. */
        public static final Options DEFAULTS = new Options(false, false, true);
    }

    /** Domains whose public-suffix answer is remembered, at most; the memory starts over when full. */
    static final int PUBLIC_SUFFIX_MEMORY = 100_000;

    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> PUBLIC_SUFFIX_ANSWERS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** UTS-46 non-transitional processing, as browsers and registries do today. */
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.CHECK_BIDI
            | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO | IDNA.USE_STD3_RULES);

    private static final Map<FailureReason, Reason> REASONS = reasons();

    private static final Set<String> ROLE_LOCAL_PARTS = roleLocalParts();

    private final Options options;
    private final EmailValidator validator;

    public EmailVerifier() {
        this(Options.DEFAULTS);
    }

    public EmailVerifier(Options options) {
        this.options = options;
        EmailValidator rules = JMail.validator()
                .requireTopLevelDomain()
                .disallowExplicitSourceRouting()
                .disallowSingleCharacterTopLevelDomains()
                .disallowQuotedIdentifiers()
                .disallowObsoleteWhitespace();
        this.validator = options.allowIpLiteral() ? rules : rules.disallowIpDomain();
    }

    /** The offline stage over a chunk: each cell on its own. */
    @Override
    public List<Verdict> verifyAll(List<String> cells) {
        List<Verdict> verdicts = new java.util.ArrayList<>(cells.size());
        for (String cell : cells) {
            verdicts.add(verify(cell));
        }
        return verdicts;
    }

    /** Verifies {@code raw} as found in a cell; never throws for bad input. */
    public Verdict verify(String raw) {
        return verify(raw, true);
    }

    /**
     * As {@link #verify(String)} with every address through JMail, never {@link #isPlainAddress the plain
     * path}: what the tests compare the plain path with.
     */
    Verdict verifyWithJMail(String raw) {
        return verify(raw, false);
    }

    private Verdict verify(String raw, boolean plainPath) {
        String address = raw == null ? "" : strip(raw);
        if (address.isEmpty()) {
            return Verdict.invalid(Reason.EMPTY);
        }
        if (address.indexOf('@') < 0) {
            return Verdict.invalid(Reason.SYNTAX_MISSING_AT);
        }
        if (address.indexOf('<') >= 0 || address.indexOf('>') >= 0) {
            return Verdict.invalid(Reason.SYNTAX_DISPLAY_NAME);
        }
        String local;
        String parsedDomain;
        if (plainPath && isPlainAddress(address)) {
            // JMail would accept it and answer these two parts (EmailVerifierPlainPathTest): skip its parse,
            // the costliest step of the offline stage.
            int at = address.indexOf('@');
            local = address.substring(0, at);
            parsedDomain = address.substring(at + 1);
        } else {
            EmailValidationResult result = validator.validate(address);
            if (result.isFailure()) {
                return Verdict.invalid(reasonFor(result.getFailureReason(), address));
            }
            Email email = result.getEmail().orElseThrow();
            if (email.hasIdentifier() || !email.comments().isEmpty()) {
                return Verdict.invalid(Reason.SYNTAX_DISPLAY_NAME);
            }
            local = email.localPart();
            parsedDomain = email.domain();
        }
        if (!options.allowQuotedLocalPart() && local.indexOf('"') >= 0) {
            return Verdict.invalid(Reason.SYNTAX_LOCAL_PART);
        }
        if (hasInvisibleCharacter(local)) {
            return Verdict.invalid(Reason.SYNTAX_LOCAL_PART);
        }
        boolean ipLiteral = parsedDomain.startsWith("[");
        String domain = ipLiteral ? parsedDomain : asciiDomain(parsedDomain);
        if (domain == null) {
            return Verdict.invalid(Reason.SYNTAX_DOMAIN);
        }
        if (!ipLiteral && options.requirePublicSuffix() && !underPublicSuffix(domain)) {
            return Verdict.invalid(Reason.NO_PUBLIC_SUFFIX);
        }
        int localOctets = utf8Length(local);
        if (localOctets > MAX_LOCAL_PART || domain.length() > MAX_DOMAIN
                || localOctets + 1 + domain.length() > MAX_PATH) {
            return Verdict.invalid(Reason.SYNTAX_TOO_LONG);
        }
        return new Verdict(VerdictStatus.VALID, Reason.OFFLINE_CHECKS_PASSED, local + '@' + domain, isRole(local));
    }

    /**
     * Whether {@code address} is of the plain form most lists hold, which JMail's validator (with the rules
     * above) accepts as it stands, local part and domain split at its one {@code @}: a local part of 1 to 64
     * of {@code A-Z a-z 0-9 _ + -} in dot-separated runs; a domain of 2 or more dot-separated labels of 1 to
     * 63 of {@code A-Z a-z 0-9 -}, not starting or ending with {@code -}, the last of 2 or more letters; 254
     * characters at most. Narrower than the RFC on purpose: anything else goes to JMail.
     */
    static boolean isPlainAddress(String address) {
        int length = address.length();
        int at = address.indexOf('@');
        if (length > MAX_PLAIN_ADDRESS || at < 1 || at > MAX_LOCAL_PART) {
            return false;
        }
        char previous = '.';
        for (int i = 0; i < at; i++) {
            char c = address.charAt(i);
            if (c == '.' ? previous == '.' : !(isAsciiLetterOrDigit(c) || c == '_' || c == '+' || c == '-')) {
                return false;
            }
            previous = c;
        }
        if (previous == '.') {
            return false;
        }
        int labels = 0;
        int labelStart = at + 1;
        boolean lettersOnly = true;
        for (int i = at + 1; i <= length; i++) {
            char c = i == length ? '.' : address.charAt(i);
            if (c == '.') {
                int labelLength = i - labelStart;
                if (labelLength < 1 || labelLength > MAX_LABEL || address.charAt(labelStart) == '-'
                        || address.charAt(i - 1) == '-') {
                    return false;
                }
                labels++;
                if (i == length) {
                    return labels >= 2 && labelLength >= 2 && lettersOnly;
                }
                labelStart = i + 1;
                lettersOnly = true;
            } else if (isAsciiLetterOrDigit(c) || c == '-') {
                lettersOnly &= c > '9';
            } else {
                return false;
            }
        }
        return false;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Whether {@code local} names a function, ignoring case and a {@code +tag}. */
    static boolean isRole(String local) {
        int plus = local.indexOf('+');
        String base = (plus < 0 ? local : local.substring(0, plus)).toLowerCase(Locale.ROOT);
        return ROLE_LOCAL_PARTS.contains(base);
    }

    /** The lower-case ASCII form of a domain (UTS-46 for international names), or null when it has none. */
    private static String asciiDomain(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        boolean ascii = true;
        for (int i = 0; i < lower.length() && ascii; i++) {
            ascii = lower.charAt(i) < 0x80;
        }
        if (ascii && !lower.contains("xn--")) {
            return lower;
        }
        IDNA.Info info = new IDNA.Info();
        StringBuilder out = UTS46.nameToASCII(lower, new StringBuilder(lower.length() + 16), info);
        return info.hasErrors() ? null : out.toString();
    }

    /** Whether the domain sits under a suffix of the public suffix list ({@code example.co.uk}, not {@code co.uk}). */
    private static boolean underPublicSuffix(String domain) {
        // Lists repeat domains heavily and the suffix lookup parses the name: remember recent answers.
        Boolean known = PUBLIC_SUFFIX_ANSWERS.get(domain);
        if (known != null) {
            return known;
        }
        boolean answer;
        try {
            answer = InternetDomainName.from(domain).isUnderRegistrySuffix();
        } catch (IllegalArgumentException e) {
            answer = false;
        }
        if (PUBLIC_SUFFIX_ANSWERS.size() >= PUBLIC_SUFFIX_MEMORY) {
            PUBLIC_SUFFIX_ANSWERS.clear();
        }
        PUBLIC_SUFFIX_ANSWERS.put(domain, answer);
        return answer;
    }

    /**
     * Control, format (zero-width, soft hyphen, bidi marks), separator, private-use, unassigned and lone
     * surrogate code points: legal to JMail in an internationalised local part, never meant by a person.
     */
    static boolean hasInvisibleCharacter(String local) {
        for (int i = 0; i < local.length(); ) {
            int cp = local.codePointAt(i);
            if (cp < 0x20 || cp == 0x7f) {
                return true;
            }
            if (cp >= 0x80) {
                switch (Character.getType(cp)) {
                    case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                            Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE, Character.UNASSIGNED,
                            Character.SURROGATE -> {
                        return true;
                    }
                    default -> {
                    }
                }
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    private static int utf8Length(String s) {
        int length = s.length();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }

    /** Trims whitespace including the no-break and zero-width spaces spreadsheets leave around values. */
    private static String strip(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && isSpace(raw.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(raw.charAt(end - 1))) {
            end--;
        }
        return raw.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u200B' || c == '\uFEFF';
    }

    private static Reason reasonFor(FailureReason failure, String address) {
        if (failure.equals(FailureReason.MULTIPLE_DOT_SEPARATORS)) {
            int at = address.lastIndexOf('@');
            return address.indexOf("..", at) >= 0 ? Reason.SYNTAX_DOMAIN : Reason.SYNTAX_LOCAL_PART;
        }
        return REASONS.getOrDefault(failure, Reason.SYNTAX_INVALID);
    }

    private static Map<FailureReason, Reason> reasons() {
        Map<FailureReason, Reason> map = new HashMap<>();
        map.put(FailureReason.MISSING_AT_SYMBOL, Reason.SYNTAX_MISSING_AT);
        for (FailureReason local : new FailureReason[]{
                FailureReason.BEGINS_WITH_AT_SYMBOL, FailureReason.LOCAL_PART_MISSING,
                FailureReason.STARTS_WITH_DOT, FailureReason.LOCAL_PART_ENDS_WITH_DOT,
                FailureReason.DISALLOWED_UNQUOTED_CHARACTER, FailureReason.ENCODED_WORD_IN_LOCAL_PART,
                FailureReason.INVALID_QUOTE_LOCATION, FailureReason.MISSING_BACKSLASH_ESCAPE,
                FailureReason.UNUSED_BACKSLASH_ESCAPE, FailureReason.MULTIPLE_AT_SYMBOLS}) {
            map.put(local, Reason.SYNTAX_LOCAL_PART);
        }
        for (FailureReason domain : new FailureReason[]{
                FailureReason.DOMAIN_MISSING, FailureReason.DOMAIN_PART_STARTS_WITH_DASH,
                FailureReason.DOMAIN_PART_ENDS_WITH_DASH, FailureReason.DOMAIN_PART_TOO_LONG,
                FailureReason.INVALID_DOMAIN_CHARACTER, FailureReason.MISSING_FINAL_DOMAIN_PART,
                FailureReason.NUMERIC_TLD, FailureReason.TOP_LEVEL_DOMAIN_TOO_LONG,
                FailureReason.MISSING_TOP_LEVEL_DOMAIN, FailureReason.SINGLE_CHARACTER_TOP_LEVEL_DOMAIN,
                FailureReason.INVALID_TOP_LEVEL_DOMAIN, FailureReason.ENDS_WITH_DOT}) {
            map.put(domain, Reason.SYNTAX_DOMAIN);
        }
        map.put(FailureReason.ADDRESS_TOO_LONG, Reason.SYNTAX_TOO_LONG);
        map.put(FailureReason.LOCAL_PART_TOO_LONG, Reason.SYNTAX_TOO_LONG);
        map.put(FailureReason.DOMAIN_TOO_LONG, Reason.SYNTAX_TOO_LONG);
        map.put(FailureReason.CONTAINS_IP_DOMAIN, Reason.SYNTAX_IP_LITERAL);
        map.put(FailureReason.INVALID_IP_DOMAIN, Reason.SYNTAX_IP_LITERAL);
        map.put(FailureReason.CONTAINS_QUOTED_IDENTIFIER, Reason.SYNTAX_DISPLAY_NAME);
        map.put(FailureReason.UNQUOTED_ANGLED_BRACKET, Reason.SYNTAX_DISPLAY_NAME);
        map.put(FailureReason.INVALID_COMMENT, Reason.SYNTAX_DISPLAY_NAME);
        map.put(FailureReason.INVALID_COMMENT_LOCATION, Reason.SYNTAX_DISPLAY_NAME);
        return Map.copyOf(map);
    }

    private static Set<String> roleLocalParts() {
        String resource = "role-local-parts.txt";
        Set<String> parts = new HashSet<>();
        try (InputStream in = EmailVerifier.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/sluice/core/verify/" + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String part = line.strip();
                if (!part.isEmpty() && !part.startsWith("#")) {
                    parts.add(part.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read role list " + resource, e);
        }
        return Set.copyOf(parts);
    }
}

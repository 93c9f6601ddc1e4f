package dev.sluice.core.append;

import com.ibm.icu.lang.UCharacter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Canonical forms of key values for matching input records to a dataset. Every rule starts with Unicode
 * NFKC and case folding (ICU's NFKC_Casefold, which also drops invisible format characters such as soft
 * hyphens); then:
 * <ul>
 *   <li>{@link Rule#GENERIC}: apostrophes and periods are removed ({@code O'Brien} = {@code OBrien},
 *       {@code St.} = {@code St}), every other character that is not a letter, digit or combining mark
 *       becomes a space, runs of whitespace collapse to one space, and the ends are trimmed;</li>
 *   <li>{@link Rule#ADDRESS}: generic, then each word is replaced by its US postal abbreviation
 *       ({@code Street}/{@code Str}/{@code St} = {@code st}, {@code North} = {@code n}, {@code Apartment}
 *       /{@code Apt}/{@code #} = {@code apt}...), so both spellings meet in one form;</li>
 *   <li>{@link Rule#ZIP}: only letters and digits are kept; nine digits (ZIP+4) keep the first five, three
 *       or four digits (a ZIP whose leading zeros a spreadsheet dropped) are padded to five; other postal
 *       codes ({@code SW1A 1AA}) just lose spaces and punctuation;</li>
 *   <li>{@link Rule#EMAIL}: trimmed, {@code mailto:} and surrounding angle brackets removed, lower-cased
 *       as a whole (local parts are treated as case-insensitive, as nearly every mail system does), a
 *       trailing dot of the domain removed.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class Normalizer {

    /** How one column's values are normalised; chosen by {@link #ruleFor} from the column name, or explicitly. */
    public enum Rule {
        /** Case, whitespace and punctuation: for names and any other text. */
        GENERIC,
        /** Generic, plus US postal abbreviations (street types, unit designators, directions). */
        ADDRESS,
        /** ZIP+4 to ZIP5, lost leading zeros restored, spaces and punctuation dropped. */
        ZIP,
        /** The canonical form of an email address. */
        EMAIL;

        /** Wire value, e.g. {@code address}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The rule for a wire value; the message lists the allowed ones. */
        public static Rule fromWire(String wire) {
            for (Rule rule : values()) {
                if (rule.wire().equals(wire)) {
                    return rule;
                }
            }
            throw new IllegalArgumentException("unknown normalisation rule '" + wire + "'; use one of "
                    + Arrays.stream(values()).map(Rule::wire).collect(Collectors.joining(", ")));
        }
    }

    private static final com.ibm.icu.text.Normalizer2 NFKC_CASEFOLD =
            com.ibm.icu.text.Normalizer2.getNFKCCasefoldInstance();

    /** Characters that join the letters around them instead of separating words. */
    private static final String JOINING = "'.\u2018\u2019\u02BC`\u00B4";

    /** Unit designators: a {@code #} right after one of these is the same unit, not a second one. */
    private static final Set<String> UNIT_DESIGNATORS = Set.of("apt", "ste", "unit", "rm", "fl", "bldg");

    /** Word to canonical US postal abbreviation (USPS Publication 28 spellings). */
    private static final Map<String, String> ABBREVIATIONS = abbreviations(
            "st", "street", "str", "st",
            "ave", "avenue", "av", "aven", "avn", "avnue", "ave",
            "rd", "road", "rd",
            "blvd", "boulevard", "boul", "blvd",
            "dr", "drive", "drv", "dr",
            "ln", "lane", "ln",
            "ct", "court", "ct",
            "pl", "place", "pl",
            "ste", "suite", "ste",
            "apt", "apartment", "#", "apt",
            "hwy", "highway", "hiway", "hwy",
            "pkwy", "parkway", "pky", "pkwy",
            "cir", "circle", "circ", "cir",
            "ter", "terrace", "terr", "ter",
            "sq", "square", "sq",
            "trl", "trail", "trl",
            "expy", "expressway", "expy",
            "fwy", "freeway", "fwy",
            "hts", "heights", "hts",
            "fl", "floor", "fl",
            "bldg", "building", "bldg",
            "rm", "room", "rm",
            "n", "north", "n",
            "s", "south", "s",
            "e", "east", "e",
            "w", "west", "w",
            "ne", "northeast", "ne",
            "nw", "northwest", "nw",
            "se", "southeast", "se",
            "sw", "southwest", "sw");

    private Normalizer() {
    }

    /**
     * The rule for a column by its name: names mentioning {@code email} take the email rule, {@code zip},
     * {@code postcode} or {@code postal_code} the zip rule, {@code address}, {@code addr} or {@code street}
     * the address rule, any other mention of {@code postal} the zip rule; everything else is generic.
     */
    public static Rule ruleFor(String columnName) {
        String name = columnName == null ? "" : columnName.toLowerCase(Locale.ROOT);
        if (name.contains("email") || name.contains("e_mail") || name.contains("e-mail")) {
            return Rule.EMAIL;
        }
        if (name.contains("zip") || name.contains("postcode") || name.contains("postal_code")
                || name.contains("postalcode")) {
            return Rule.ZIP;
        }
        if (name.contains("address") || name.contains("addr") || name.contains("street")) {
            return Rule.ADDRESS;
        }
        if (name.contains("postal")) {
            return Rule.ZIP;
        }
        return Rule.GENERIC;
    }

    /** The canonical form of {@code value} under {@code rule}; {@code null} and blank give {@code ""}. */
    public static String normalize(Rule rule, String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        return switch (rule) {
            case GENERIC -> words(value, false);
            case ADDRESS -> address(value);
            case ZIP -> zip(value);
            case EMAIL -> email(value);
        };
    }

    /** {@code value} trimmed and case-folded, nothing else: what {@link MatchCode#EXACT} compares. */
    public static String fold(String value) {
        if (value == null) {
            return "";
        }
        return UCharacter.foldCase(value.strip(), true);
    }

    /** NFKC_Casefold, punctuation to spaces (joining characters removed), whitespace collapsed and trimmed. */
    private static String words(String value, boolean keepHash) {
        String folded = NFKC_CASEFOLD.normalize(value);
        StringBuilder out = new StringBuilder(folded.length());
        boolean space = false;
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp) || isMark(cp)) {
                if (space && !out.isEmpty()) {
                    out.append(' ');
                }
                space = false;
                out.appendCodePoint(cp);
            } else if (keepHash && cp == '#') {
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.append('#');
                space = true;
            } else if (cp < 0x10000 && JOINING.indexOf(cp) >= 0) {
                // removed: "O'Brien" and "OBrien", "St." and "St" are the same word
            } else {
                space = true;
            }
        }
        return out.toString();
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    private static String address(String value) {
        String words = words(value, true);
        if (words.isEmpty()) {
            return words;
        }
        List<String> out = new ArrayList<>();
        for (String word : words.split(" ")) {
            String canonical = ABBREVIATIONS.getOrDefault(word, word);
            if (word.equals("#") && !out.isEmpty() && UNIT_DESIGNATORS.contains(out.getLast())) {
                continue; // "Suite #5" is "Suite 5", not a second unit
            }
            out.add(canonical);
        }
        return String.join(" ", out);
    }

    private static String zip(String value) {
        String folded = NFKC_CASEFOLD.normalize(value);
        StringBuilder kept = new StringBuilder(folded.length());
        boolean digits = true;
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                kept.appendCodePoint(cp);
                digits &= cp >= '0' && cp <= '9';
            }
        }
        String code = kept.toString();
        if (digits && code.length() == 9) {
            return code.substring(0, 5);
        }
        if (digits && (code.length() == 3 || code.length() == 4)) {
            return "0".repeat(5 - code.length()) + code;
        }
        return code;
    }

    private static String email(String value) {
        String address = java.text.Normalizer.normalize(value.strip(), java.text.Normalizer.Form.NFKC).strip();
        if (address.regionMatches(true, 0, "mailto:", 0, 7)) {
            address = address.substring(7).strip();
        }
        if (address.length() >= 2 && address.startsWith("<") && address.endsWith(">")) {
            address = address.substring(1, address.length() - 1).strip();
        }
        address = address.toLowerCase(Locale.ROOT);
        while (address.endsWith(".")) {
            address = address.substring(0, address.length() - 1);
        }
        return address;
    }

    /**
     * Groups of words ending in their canonical form: {@code "st", "street", "str", "st"} maps each of
     * {@code st, street, str} to {@code st}. A group starts with its canonical form and ends when it repeats.
     */
    private static Map<String, String> abbreviations(String... groups) {
        Map<String, String> map = new java.util.HashMap<>();
        String canonical = null;
        for (String word : groups) {
            if (canonical == null) {
                canonical = word;
                map.put(word, canonical);
            } else if (word.equals(canonical)) {
                canonical = null;
            } else {
                map.put(word, canonical);
            }
        }
        return Map.copyOf(map);
    }
}

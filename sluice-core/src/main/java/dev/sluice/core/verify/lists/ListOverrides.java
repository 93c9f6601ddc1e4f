package dev.sluice.core.verify.lists;

import java.nio.file.Path;

/**
 * Files that replace the lists shipped in the jar, one per list; {@code null} keeps the shipped list.
 *
 * <p>A file <em>replaces</em> its list, it is not merged with it: to extend the shipped disposable
 * domains, start from a copy of {@code disposable-domains.txt}. Files are UTF-8 text, one entry per line,
 * compared lower-case and trimmed; blank lines and lines starting with {@code #} are skipped. The typo file
 * holds {@code wrong=right} lines; the TLD rules and the near-miss rule for the top providers are code
 * and stay on whatever the typo file says.
 *
 * @param disposable disposable (throwaway) mail domains; subdomains of a listed domain count too
 * @param free       free mailbox providers, matched exactly
 * @param roles      role local parts such as {@code info} or {@code support}
 * @param typos      {@code wrong=right} domain corrections
 */
public record ListOverrides(Path disposable, Path free, Path roles, Path typos) {

    /** No overrides: every list as shipped. */
    public static final ListOverrides NONE = new ListOverrides(null, null, null, null);
}

package dev.sluice.core.verify.lists;

/**
 * Lists that flag an address without asking the network: disposable domains, free mailbox providers,
 * role local parts, and domain typos with their likely correction.
 */
public interface DomainLists {

    boolean isDisposable(String asciiDomain);

    boolean isFree(String asciiDomain);

    boolean isRole(String localPart);

    /** The domain the user most likely meant ({@code gmial.com -> gmail.com}, {@code x.con -> x.com}), or null. */
    String typoCorrection(String asciiDomain);
}

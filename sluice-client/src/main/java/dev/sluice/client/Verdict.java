package dev.sluice.client;

/**
 * The verdict of one address checked now ({@link SluiceClient#verify(String)}): the fields a result row
 * carries in its {@code sluice_*} columns.
 *
 * @param email      the address as Sluice would mail it; as given when it is not well formed
 * @param status     {@code valid}, {@code invalid}, {@code accept_all} or {@code unknown}
 * @param reason     why, as a stable code such as {@code accepted}, {@code mailbox_not_found} or {@code timeout}
 *                   (the deadline passed before the mail server answered)
 * @param provider   who hosts the domain's mail, from its MX hosts ({@code google}, {@code microsoft}, ...,
 *                   {@code other}); null when DNS did not run or found no mail server
 * @param score      0 (do not send) to 100 (send), from the status, reason and flags
 * @param safeToSend valid, not a role address, not disposable
 * @param role       the local part names a function (info@, support@) rather than a person
 * @param disposable the domain hands out throwaway addresses
 * @param free       the domain is a free mailbox provider
 * @param suggestion a likely intended address when the domain looks like a typo, else null
 * @param cached     the answer came from the server's verification cache
 */
public record Verdict(String email, String status, String reason, String provider, int score, boolean safeToSend,
        boolean role, boolean disposable, boolean free, String suggestion, boolean cached) {
}

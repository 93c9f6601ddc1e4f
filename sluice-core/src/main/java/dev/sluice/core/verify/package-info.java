/**
 * Verify: decides a {@link dev.sluice.core.verify.Verdict} per email address. Today this is the offline
 * stage (strict syntax via JMail, RFC 5321 length limits, normalisation, role accounts); domain, DNS and
 * SMTP checks come later as further stages behind the same {@link dev.sluice.core.verify.EmailVerifier}
 * facade, each adding {@link dev.sluice.core.verify.Reason} constants. It uses JMail and the JDK only,
 * and nothing of ours outside this package.
 */
package dev.sluice.core.verify;

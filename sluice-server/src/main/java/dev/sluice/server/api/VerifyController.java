package dev.sluice.server.api;

import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictScore;
import dev.sluice.server.account.Caller;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.verify.SingleCheck;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Duration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * One address verified now, through the same engine, cache and per-domain limits as a verify job, answered
 * with the fields of a result row. A malformed address is an answer ({@code invalid}), not an error.
 */
@RestController
class VerifyController {

    private final SingleCheck single;

    VerifyController(SingleCheck single) {
        this.single = single;
    }

    /**
     * @param email   the address to verify
     * @param timeout how long to wait for DNS and SMTP, e.g. {@code 20s}; default 30s, at most 120s
     */
    record CheckRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "ann@example.com") String email,
            @Schema(example = "20s") String timeout) {
    }

    /**
     * The verdict of one address, as the {@code sluice_*} columns of a result row give it.
     *
     * @param email       the address as Sluice would mail it; as given when it is not well formed
     * @param status      {@code valid}, {@code invalid}, {@code accept_all} or {@code unknown}
     * @param reason      why, as a closed code; {@code timeout} when the deadline passed first
     * @param provider    who hosts the domain's mail, from its MX hosts (google, microsoft, ..., other); null
     *                    when DNS did not run or found no mail server
     * @param score       0 to 100, from the status, reason and flags
     * @param safeToSend  valid, not a role address, not disposable
     * @param role        the local part names a function (info@, support@)
     * @param disposable  the domain hands out throwaway addresses
     * @param free        the domain is a free mailbox provider
     * @param suggestion  a likely intended address when the domain looks like a typo, else null
     * @param cached      the verdict came from the verification cache
     */
    record CheckView(String email, String status, String reason, String provider, int score, boolean safeToSend,
            boolean role, boolean disposable, boolean free, String suggestion, boolean cached) {

        static CheckView of(String given, Verdict verdict) {
            return new CheckView(verdict.normalized() == null ? given : verdict.normalized(), verdict.status().wire(),
                    verdict.reason().code(), verdict.provider(), VerdictScore.score(verdict), VerdictScore.safeToSend(verdict),
                    verdict.role(), verdict.disposable(), verdict.free(), verdict.suggestion(), verdict.cached());
        }
    }

    @Operation(summary = "Verify one address now", description = """
            Runs one address through the verification of a verify job (syntax, lists, the cache, DNS, SMTP) \
            and answers its verdict with the fields of a result row. `timeout` bounds the wait for DNS and \
            SMTP (default 30s, at most 120s); when it passes first the answer is `unknown` / `timeout` and the \
            check goes on, so asking again soon may find the verdict cached. A malformed address answers 200 \
            `invalid`. Evaluation keys may make 100 checks per account and UTC day (configurable); beyond that \
            the answer is 429 `too_many_checks` with `Retry-After`.""")
    @ApiResponse(responseCode = "200", description = "the verdict")
    @ApiResponse(responseCode = "400", description = "no email, or a timeout that is not a duration up to 120s")
    @ApiResponse(responseCode = "401", description = "no key or an unknown key")
    @ApiResponse(responseCode = "429", description = "an evaluation key's account made its checks of the day")
    @PostMapping("/api/v1/verify")
    CheckView check(@Parameter(hidden = true) Caller caller, @RequestBody(required = false) CheckRequest request) {
        if (request == null || request.email() == null || request.email().isBlank()) {
            throw new ProblemException(Problem.INVALID_REQUEST,
                    "the body must be a JSON object with 'email', the address to verify, e.g. {\"email\": "
                            + "\"ann@example.com\"}");
        }
        Duration timeout = single.timeout(request.timeout());
        return CheckView.of(request.email(), single.check(caller, request.email(), timeout));
    }
}

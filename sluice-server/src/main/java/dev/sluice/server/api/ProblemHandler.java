package dev.sluice.server.api;

import dev.sluice.server.door.DoorError;
import dev.sluice.server.door.RequestErrors;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The native API's envelope: every failure becomes RFC 9457 problem details with a stable {@code code}, from
 * the common error model of the front-door kit ({@link RequestErrors}: client mistakes get 4xx with a
 * sentence saying what to do; anything else is logged there and answers 500).
 */
@RestControllerAdvice
class ProblemHandler {

    private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> failed(Exception e, HttpServletRequest request) {
        DoorError error = RequestErrors.of(e, request);
        ResponseEntity<ProblemDetail> answer = answer(error.problem(), error.message(), request);
        if (e instanceof ProblemException refusal && refusal.retryAfter().isPresent()) {
            // whole seconds, rounded up, so a client that waits exactly that long is not refused again
            long seconds = Math.max(1, (refusal.retryAfter().get().toMillis() + 999) / 1000);
            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).body(answer.getBody());
        }
        return answer;
    }

    static ResponseEntity<ProblemDetail> answer(Problem problem, String detail, HttpServletRequest request) {
        return answer(problem, detail, request.getRequestURI());
    }

    static ResponseEntity<ProblemDetail> answer(Problem problem, String detail, String path) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(problem.status()), detail);
        body.setType(URI.create("/problems/" + problem.code()));
        body.setProperty("code", problem.code());
        body.setInstance(instance(path));
        return ResponseEntity.status(problem.status()).contentType(PROBLEM_JSON).body(body);
    }

    private static URI instance(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

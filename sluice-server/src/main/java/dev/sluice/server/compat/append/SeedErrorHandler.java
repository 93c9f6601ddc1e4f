package dev.sluice.server.compat.append;

import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.problem.RequestSentences;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The front door's error envelope. The seeds show none, so every refusal is {@code {"message": "..."}}
 * (the envelope of the API gateway the seed's {@code x-api-key} header comes from) with the HTTP status
 * saying the kind; the native core's refusals keep their status and detail.
 */
@RestControllerAdvice(basePackageClasses = SeedErrorHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class SeedErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(SeedErrorHandler.class);

    @ExceptionHandler(SeedException.class)
    ResponseEntity<Map<String, String>> seed(SeedException e) {
        return answer(e.status(), e.getMessage());
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Map<String, String>> problem(ProblemException e) {
        return answer(e.problem().status(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        return answer(400, RequestSentences.body(e.getMostSpecificCause()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException e) {
        return answer(415, "send the request payload as Content-Type: application/json");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> unexpected(Exception e) {
        log.error("email append front door failed", e);
        return answer(500, "Internal server error; the request may be retried");
    }

    private static ResponseEntity<Map<String, String>> answer(int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("message", message));
    }
}

package dev.sluice.server.compat.refdata;

import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.problem.RequestSentences;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The front door's error envelope, {@code {"status": 400, "message": "..."}}: the seed prints no error body
 * of its own, so a refused request takes the shape of the per-record error in its async results. Ordered
 * before the native problem details and limited to this package's controller; the native core's refusals
 * keep their status and sentence.
 */
@RestControllerAdvice(basePackageClasses = RefDataErrorHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class RefDataErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(RefDataErrorHandler.class);

    @ExceptionHandler(RefDataException.class)
    ResponseEntity<Map<String, Object>> refused(RefDataException e) {
        return answer(e.status(), e.getMessage());
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Map<String, Object>> problem(ProblemException e) {
        return answer(e.problem().status(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return answer(400, RequestSentences.body(e.getMostSpecificCause()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
        return answer(415, "send the request payload as Content-Type: application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
        return answer(405, e.getMethod() + " is not supported here; use " + e.getSupportedHttpMethods());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        log.error("reference-data front door failed", e);
        return answer(500, "the server failed to answer; the request may be retried, and if it keeps failing the "
                + "operator will find the details in the server log");
    }

    static ResponseEntity<Map<String, Object>> answer(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

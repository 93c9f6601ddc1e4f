package dev.sluice.server.compat.export;

import dev.sluice.server.problem.ProblemException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Speaks every failure of this front door as {@code {"error": "<code>", "message": "..."}} (see
 * {@link BulkExportError}) instead of the native problem details. Ordered before the native handler and
 * limited to this package's controller.
 */
@RestControllerAdvice(basePackageClasses = BulkExportErrorHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class BulkExportErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(BulkExportErrorHandler.class);

    @ExceptionHandler(BulkExportException.class)
    ResponseEntity<Map<String, String>> refused(BulkExportException e) {
        return answer(e.error(), e.getMessage());
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Map<String, String>> problem(ProblemException e) {
        BulkExportError error = BulkExportError.of(e.problem());
        if (error == BulkExportError.INTERNAL_ERROR) {
            log.error("bulk export request failed", e);
        }
        return answer(error, e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> failed(Exception e) {
        log.error("bulk export request failed", e);
        return answer(BulkExportError.INTERNAL_ERROR, "the server failed to answer; try again, and if it persists "
                + "tell the operator (the server log has the details)");
    }

    private static ResponseEntity<Map<String, String>> answer(BulkExportError error, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.wire());
        body.put("message", message);
        return ResponseEntity.status(error.httpStatus()).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

package dev.sluice.server.compat.export;

import dev.sluice.server.door.DoorError;
import dev.sluice.server.door.RequestErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** Every failure of this door, in one place: its own refusals, then the kit's common error model. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> failed(Exception e, HttpServletRequest request) {
        if (e instanceof BulkExportException refused) {
            return answer(refused.error(), refused.getMessage());
        }
        DoorError error = RequestErrors.of(e, request);
        return error.serverFault()
                ? answer(BulkExportError.INTERNAL_ERROR, "the server failed to answer; try again, and if it persists tell the operator (the "
                        + "server log has the details)")
                : answer(BulkExportError.of(error.problem()), error.message());
    }

    private static ResponseEntity<Map<String, String>> answer(BulkExportError error, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.wire());
        body.put("message", message);
        return ResponseEntity.status(error.httpStatus()).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

package dev.sluice.server.compat.refdata;

import dev.sluice.server.door.DoorError;
import dev.sluice.server.door.RequestErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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

    /** Every failure of this door, in one place: its own refusals, then the kit's common error model. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> failed(Exception e, HttpServletRequest request) {
        if (e instanceof RefDataException refused) {
            return answer(refused.status(), refused.getMessage());
        }
        DoorError error = RequestErrors.of(e, request);
        return switch (error.cause()) {
            case HttpMediaTypeNotSupportedException m -> answer(415, "send the request payload as Content-Type: "
                    + "application/json");
            case HttpRequestMethodNotSupportedException m -> answer(405, m.getMethod() + " is not supported here; use "
                    + m.getSupportedHttpMethods());
            default -> error.serverFault()
                    ? answer(500, "the server failed to answer; the request may be retried, and if it keeps failing the "
                            + "operator will find the details in the server log")
                    : answer(error.status(), error.message());
        };
    }

    static ResponseEntity<Map<String, Object>> answer(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

package dev.sluice.server.compat.append;

import dev.sluice.server.door.DoorError;
import dev.sluice.server.door.RequestErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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

    /** Every failure of this door, in one place: its own refusals, then the kit's common error model. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> failed(Exception e, HttpServletRequest request) {
        if (e instanceof SeedException seed) {
            return answer(seed.status(), seed.getMessage());
        }
        DoorError error = RequestErrors.of(e, request);
        if (error.serverFault()) {
            return answer(500, "Internal server error; the request may be retried");
        }
        return error.cause() instanceof HttpMediaTypeNotSupportedException
                ? answer(415, "send the request payload as Content-Type: application/json")
                : answer(error.status(), error.message());
    }

    private static ResponseEntity<Map<String, String>> answer(int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("message", message));
    }
}

package dev.sluice.server.compat.verification;

import dev.sluice.server.door.DoorError;
import dev.sluice.server.door.RequestErrors;
import dev.sluice.server.problem.Problem;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Speaks every failure of this front door in the seed's envelope, {@code {"Status": "<ERROR>", "Message":
 * "..."}}, instead of the native problem details. Ordered before the native handler and limited to this
 * package's controller.
 */
@RestControllerAdvice(basePackageClasses = EmailBatchController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class EmailBatchErrorHandler {

    /** Every failure of this door, in one place: its own refusals, then the kit's common error model. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> failed(Exception e, HttpServletRequest request) {
        if (e instanceof EmailBatchException refused) {
            return answer(refused.error(), refused.getMessage());
        }
        DoorError error = RequestErrors.of(e, request);
        return switch (error.cause()) {
            case MaxUploadSizeExceededException m -> answer(EmailBatchError.FILE_TOO_LARGE,
                    "the file is larger than this server takes; split it into smaller files");
            case MultipartException m when error.problem() == Problem.INVALID_REQUEST -> answer(
                    EmailBatchError.MISSING_FILE, "no file: send it as multipart/form-data in the file field named 'email'");
            default -> error.serverFault()
                    ? answer(EmailBatchError.SERVER_ERROR, "the server failed to answer; try again, and if it persists"
                            + " tell the operator (the server log has the details)")
                    : refused(EmailBatchService.translate(error.problem(), error.message()));
        };
    }

    private static ResponseEntity<Map<String, Object>> refused(EmailBatchException e) {
        return answer(e.error(), e.getMessage());
    }

    private static ResponseEntity<Map<String, Object>> answer(EmailBatchError error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Status", error.name());
        body.put("Message", message);
        return ResponseEntity.status(error.httpStatus()).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

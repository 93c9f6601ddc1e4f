package dev.sluice.server.compat.verification;

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

    private static final Logger log = LoggerFactory.getLogger(EmailBatchErrorHandler.class);

    @ExceptionHandler(EmailBatchException.class)
    ResponseEntity<Map<String, Object>> refused(EmailBatchException e) {
        return answer(e.error(), e.getMessage());
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Map<String, Object>> problem(ProblemException e) {
        return refused(EmailBatchService.translate(e));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Map<String, Object>> tooLarge(MaxUploadSizeExceededException e) {
        return answer(EmailBatchError.FILE_TOO_LARGE, "the file is larger than this server takes; split it into smaller files");
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Map<String, Object>> notMultipart(MultipartException e) {
        return answer(EmailBatchError.MISSING_FILE,
                "no file: send it as multipart/form-data in the file field named 'email'");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> failed(Exception e) {
        log.error("email batch request failed", e);
        return answer(EmailBatchError.SERVER_ERROR, "the server failed to answer; try again, and if it persists"
                + " tell the operator (the server log has the details)");
    }

    private static ResponseEntity<Map<String, Object>> answer(EmailBatchError error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Status", error.name());
        body.put("Message", message);
        return ResponseEntity.status(error.httpStatus()).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

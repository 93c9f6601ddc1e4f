package dev.sluice.server.door;

import dev.sluice.server.job.IdempotencyConflictException;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.problem.RequestSentences;
import dev.sluice.server.storage.OutOfSpace;
import jakarta.servlet.http.HttpServletRequest;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one mapping from a failed request to the common error model ({@link DoorError}): our own refusals
 * ({@link ProblemException}) keep their kind and sentence, the framework's refusals become sentences saying
 * what to send instead, a full disk is 507 ({@link OutOfSpace}), and anything else is logged once here and
 * answers 500. The native API and every front door ask it from their one error handler.
 */
public final class RequestErrors {

    private static final Logger log = LoggerFactory.getLogger(RequestErrors.class);

    private RequestErrors() {
    }

    /** What {@code e}, raised while handling {@code request}, means for the client. */
    public static DoorError of(Exception e, HttpServletRequest request) {
        return switch (e) {
            case ProblemException p -> error(p.problem(), p.getMessage(), e);
            case IdempotencyConflictException c -> error(Problem.IDEMPOTENCY_KEY_REUSED, c.getMessage(), e);
            case HttpMessageNotReadableException u -> error(Problem.INVALID_REQUEST,
                    RequestSentences.body(u.getMostSpecificCause()), e);
            case MethodArgumentTypeMismatchException m -> error(Problem.INVALID_REQUEST,
                    RequestSentences.parameter(m.getName(), m.getRequiredType()), e);
            case MissingServletRequestParameterException m -> error(Problem.INVALID_REQUEST,
                    "the query parameter '" + m.getParameterName() + "' is required", e);
            case MissingRequestHeaderException m -> error(Problem.INVALID_REQUEST,
                    "the header '" + m.getHeaderName() + "' is required", e);
            case MissingServletRequestPartException m -> error(Problem.INVALID_REQUEST,
                    "the multipart body needs a part named '" + m.getRequestPartName() + "'", e);
            case MaxUploadSizeExceededException m -> error(Problem.PAYLOAD_TOO_LARGE,
                    "the upload is larger than the limit of " + m.getMaxUploadSize() + " bytes; split it into smaller "
                            + "files", e);
            case MultipartException m when !OutOfSpace.causedBy(m) -> error(Problem.INVALID_REQUEST,
                    "the multipart body could not be read; send multipart/form-data with the file in a part named "
                            + "'file'", e);
            case HttpRequestMethodNotSupportedException m -> error(Problem.METHOD_NOT_ALLOWED,
                    m.getMethod() + " is not allowed on this path" + (m.getSupportedHttpMethods() == null ? ""
                            : "; use " + m.getSupportedHttpMethods().stream().map(Object::toString).sorted()
                                    .collect(Collectors.joining(", "))), e);
            case HttpMediaTypeNotSupportedException m -> error(Problem.UNSUPPORTED_MEDIA_TYPE,
                    "this endpoint does not read " + (m.getContentType() == null ? "a body without Content-Type"
                            : m.getContentType().toString()) + "; send " + (m.getSupportedMediaTypes().isEmpty()
                                    ? "application/json" : m.getSupportedMediaTypes().stream().map(Object::toString)
                                            .collect(Collectors.joining(" or "))), e);
            case HttpMediaTypeNotAcceptableException m -> error(Problem.NOT_ACCEPTABLE, "this endpoint answers only "
                    + (m.getSupportedMediaTypes().isEmpty() ? "application/json" : m.getSupportedMediaTypes().stream()
                            .map(Object::toString).collect(Collectors.joining(" or ")))
                    + "; send Accept: */* or one of those", e);
            case NoResourceFoundException n -> error(Problem.NOT_FOUND,
                    "no such endpoint: " + request.getMethod() + " " + request.getRequestURI(), e);
            default -> OutOfSpace.causedBy(e) ? outOfSpace(e, request) : unexpected(e, request);
        };
    }

    /** A full disk or database is the operator's to fix, not a bug: one line in the log, 507 to the client. */
    private static DoorError outOfSpace(Exception e, HttpServletRequest request) {
        log.warn("request failed for lack of disk space: {} {}: {}", request.getMethod(), request.getRequestURI(),
                e.toString());
        return error(Problem.INSUFFICIENT_STORAGE, "the server ran out of disk space while handling this request; "
                + "delete jobs whose results you no longer need, or retry later", e);
    }

    private static DoorError unexpected(Exception e, HttpServletRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyCutException cut) {
                // the server cut a slow or oversized body; the valve that did so answers 408/413 itself
                log.debug("request body cut: {} {}: {}", request.getMethod(), request.getRequestURI(), cut.getMessage());
                return error(Problem.REQUEST_TIMEOUT, cut.getMessage(), e);
            }
        }
        log.error("request failed: {} {}", request.getMethod(), request.getRequestURI(), e);
        return error(Problem.INTERNAL_ERROR, "the server failed to handle the request; it may be retried", e);
    }

    private static DoorError error(Problem problem, String message, Throwable cause) {
        return new DoorError(problem, message, cause);
    }
}

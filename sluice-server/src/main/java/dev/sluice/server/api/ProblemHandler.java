package dev.sluice.server.api;

import dev.sluice.server.job.IdempotencyConflictException;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.storage.OutOfSpace;
import dev.sluice.server.problem.RequestSentences;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place that turns failures into RFC 9457 problem details with a stable {@code code}. Client
 * mistakes get 4xx with a sentence saying what to do; anything else is logged and answers 500.
 */
@RestControllerAdvice
class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> problem(ProblemException e, HttpServletRequest request) {
        return answer(e.problem(), e.getMessage(), request);
    }

    @ExceptionHandler(IdempotencyConflictException.class)
    ResponseEntity<ProblemDetail> idempotency(IdempotencyConflictException e, HttpServletRequest request) {
        return answer(Problem.IDEMPOTENCY_KEY_REUSED, e.getMessage(), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return answer(Problem.INVALID_REQUEST, RequestSentences.body(e.getMostSpecificCause()), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return answer(Problem.INVALID_REQUEST, RequestSentences.parameter(e.getName(), e.getRequiredType()), request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e,
            HttpServletRequest request) {
        return answer(Problem.INVALID_REQUEST, "the query parameter '" + e.getParameterName() + "' is required",
                request);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return answer(Problem.INVALID_REQUEST, "the header '" + e.getHeaderName() + "' is required", request);
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<ProblemDetail> missingPart(MissingServletRequestPartException e, HttpServletRequest request) {
        return answer(Problem.INVALID_REQUEST, "the multipart body needs a part named '" + e.getRequestPartName()
                + "'", request);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return answer(Problem.PAYLOAD_TOO_LARGE,
                "the upload is larger than the limit of " + e.getMaxUploadSize() + " bytes; split it into smaller files",
                request);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> badMultipart(MultipartException e, HttpServletRequest request) {
        if (OutOfSpace.causedBy(e)) {
            return outOfSpace(e, request);
        }
        return answer(Problem.INVALID_REQUEST, "the multipart body could not be read; send multipart/form-data with "
                + "the file in a part named 'file'", request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return answer(Problem.METHOD_NOT_ALLOWED, e.getMethod() + " is not allowed on this path"
                + (e.getSupportedHttpMethods() == null ? "" : "; use " + e.getSupportedHttpMethods().stream()
                        .map(Object::toString).sorted().collect(Collectors.joining(", "))), request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return answer(Problem.UNSUPPORTED_MEDIA_TYPE, "this endpoint does not read "
                + (e.getContentType() == null ? "a body without Content-Type" : e.getContentType().toString())
                + "; send " + (e.getSupportedMediaTypes().isEmpty() ? "application/json" : e.getSupportedMediaTypes()
                        .stream().map(Object::toString).collect(Collectors.joining(" or "))), request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return answer(Problem.NOT_ACCEPTABLE, "this endpoint answers only " + (e.getSupportedMediaTypes().isEmpty()
                ? "application/json" : e.getSupportedMediaTypes().stream().map(Object::toString)
                        .collect(Collectors.joining(" or "))) + "; send Accept: */* or one of those", request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return answer(Problem.NOT_FOUND, "no such endpoint: " + request.getMethod() + " " + request.getRequestURI(),
                request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (OutOfSpace.causedBy(e)) {
            return outOfSpace(e, request);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyValve.SlowBodyException slow) {
                // a body cut for its pace or size: the client's doing, answered 408/413 by the valve; no stack trace
                log.debug("request body cut: {} {}: {}", request.getMethod(), request.getRequestURI(), slow.getMessage());
                return answer(Problem.REQUEST_TIMEOUT, slow.getMessage(), request);
            }
        }
        log.error("request failed: {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(Problem.INTERNAL_ERROR, "the server failed to handle the request; it may be retried", request);
    }

    /** A full disk or database is the operator's to fix, not a bug: one line in the log, 507 to the client. */
    private static ResponseEntity<ProblemDetail> outOfSpace(Exception e, HttpServletRequest request) {
        log.warn("request failed for lack of disk space: {} {}: {}", request.getMethod(), request.getRequestURI(),
                e.toString());
        return answer(Problem.INSUFFICIENT_STORAGE, "the server ran out of disk space while handling this request; "
                + "delete jobs whose results you no longer need, or retry later", request);
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

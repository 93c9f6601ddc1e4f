package dev.sluice.server.api;

import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses requests whose edges cannot be read faithfully, before any controller (or the caller's key)
 * looks at them: query parameters with escapes that are not UTF-8 (marked by {@link UnreadableQueryFilter}), path segments carrying matrix
 * parameters ({@code ;name=value}, which Spring would cut off silently), and a {@code Content-Type} that
 * names no media type ({@code *}{@code /*}). It throws {@link ProblemException}, so every front door answers
 * in its own envelope through its error handler, and nothing is logged above DEBUG.
 */
class RequestEdgeGuard implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(RequestEdgeGuard.class);

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        try {
            checkQuery(request);
            checkPath(request);
            checkContentType(request);
        } catch (ProblemException e) {
            // a client mistake, not a server fault: DEBUG, and without the query (it may carry a key)
            log.debug("refused {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            throw e;
        }
        return true;
    }

    private static void checkQuery(HttpServletRequest request) {
        if (request.getAttribute(UnreadableQueryFilter.UNREADABLE) != null) {
            throw new ProblemException(Problem.INVALID_REQUEST, "the query string could not be decoded: every "
                    + "%-escape must encode UTF-8 (for example %C3%A9 for \u00e9); escape a literal % as %25");
        }
    }

    private static void checkPath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri != null && uri.indexOf(';') >= 0) {
            throw new ProblemException(Problem.INVALID_REQUEST, "the path contains ';', which this API does not "
                    + "read as part of a name or key; escape it as %3B");
        }
    }

    private static void checkContentType(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return;
        }
        String essence = type.split(";", 2)[0].strip();
        if (essence.startsWith("*") || essence.endsWith("/*")) {
            throw new ProblemException(Problem.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + essence + " names no media "
                    + "type; send the body with the type this endpoint reads, for example application/json");
        }
    }
}

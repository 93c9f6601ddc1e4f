package dev.sluice.server.api;

import dev.sluice.server.problem.Problem;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page, in place of Spring Boot's: what reaches it (an error the servlet container
 * answers itself, or a failure outside any controller) answers problem details like every other refusal. A
 * request for {@code /error} itself is just a path that does not exist.
 */
@Hidden
@RestController
class ErrorEndpoint implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorEndpoint.class);

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (request.getDispatcherType() != DispatcherType.ERROR || !(status instanceof Integer code)) {
            return ProblemHandler.answer(Problem.NOT_FOUND, "no such endpoint: " + request.getMethod() + " "
                    + request.getRequestURI(), request);
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String s ? s : request.getRequestURI();
        Problem problem = ContainerErrors.problem(code);
        if (problem.status() >= 500) {
            log.error("request failed outside the controllers: {} {}", request.getMethod(), path,
                    (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
        }
        return ProblemHandler.answer(problem, ContainerErrors.detail(problem, code), path);
    }
}

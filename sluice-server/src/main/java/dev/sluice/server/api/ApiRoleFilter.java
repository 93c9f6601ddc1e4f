package dev.sluice.server.api;

import dev.sluice.server.config.NodeProperties;
import dev.sluice.server.problem.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On a node without the {@code api} role, every {@code /api/} request answers 503 problem details naming
 * the role; health and metrics stay reachable.
 */
@Component
class ApiRoleFilter extends OncePerRequestFilter {

    private final boolean serves;

    ApiRoleFilter(NodeProperties properties) {
        this.serves = properties.api();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return serves || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setContentType("application/problem+json");
        Problem problem = Problem.NOT_AN_API_NODE;
        response.setStatus(problem.status());
        response.getOutputStream().write(("{\"type\":\"/problems/" + problem.code() + "\",\"title\":\"Service Unavailable\","
                + "\"status\":" + problem.status() + ",\"code\":\"" + problem.code() + "\",\"detail\":\"this node runs "
                + "with the worker role only; send API requests to a node with the api role\"}").getBytes(StandardCharsets.UTF_8));
    }
}

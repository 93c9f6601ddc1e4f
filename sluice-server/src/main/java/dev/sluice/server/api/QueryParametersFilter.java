package dev.sluice.server.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request parameters come from the query string only. The servlet container would otherwise read (and for
 * multipart, spool to disk) the whole body the first time anything asks for a parameter, before any handler
 * has checked the API key or even that the path exists. No endpoint takes form fields; a body is read only
 * by the handler that asks for it, after authentication (a file part through its {@code MultipartFile}).
 */
final class QueryParametersFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new QueryOnly(request), response);
    }

    private static final class QueryOnly extends HttpServletRequestWrapper {

        private Map<String, String[]> parameters;

        QueryOnly(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters().get(name);
            return values == null ? null : values[0];
        }

        @Override
        public String[] getParameterValues(String name) {
            String[] values = parameters().get(name);
            return values == null ? null : values.clone();
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters().keySet());
        }

        private Map<String, String[]> parameters() {
            if (parameters == null) {
                parameters = Collections.unmodifiableMap(parse(getQueryString()));
            }
            return parameters;
        }

        /** Decoded as the container does: UTF-8, {@code +} is a space; a malformed pair is skipped. */
        private static Map<String, String[]> parse(String query) {
            Map<String, List<String>> collected = new LinkedHashMap<>();
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int equals = pair.indexOf('=');
                    try {
                        String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                        String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                        collected.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                    } catch (IllegalArgumentException malformed) {
                        // as the container does with a broken escape: leave the pair out
                    }
                }
            }
            Map<String, String[]> parameters = new LinkedHashMap<>();
            collected.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
            return parameters;
        }
    }
}

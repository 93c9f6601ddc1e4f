package dev.sluice.server.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Notices a query string whose %-escapes are not UTF-8 before anything asks for a parameter (Tomcat throws
 * on every such call, and Spring's request mapping makes some), without reading the body. Such a request
 * goes on with no parameters at all and a mark that {@link RequestEdgeGuard} turns into a 400 in the
 * envelope of the door it reached.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class UnreadableQueryFilter extends OncePerRequestFilter {

    /** Request attribute set when the query string cannot be decoded. */
    static final String UNREADABLE = UnreadableQueryFilter.class.getName() + ".unreadable";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query == null || decodes(query)) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(UNREADABLE, Boolean.TRUE);
        chain.doFilter(new WithoutParameters(request), response);
    }

    /** Whether every name and value of the query string decodes as UTF-8, as Tomcat will decode them. */
    static boolean decodes(String query) {
        for (String pair : query.split("&")) {
            for (String part : pair.split("=", 2)) {
                if (!decodesPart(part)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean decodesPart(String part) {
        if (part.indexOf('%') < 0) {
            return true;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                if (i + 2 >= part.length() || Character.digit(part.charAt(i + 1), 16) < 0
                        || Character.digit(part.charAt(i + 2), 16) < 0) {
                    return false;
                }
                bytes.write(Character.digit(part.charAt(i + 1), 16) * 16 + Character.digit(part.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The request as the handlers see it until the guard refuses it: no parameters, no body parsing. */
    private static final class WithoutParameters extends HttpServletRequestWrapper {

        WithoutParameters(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }
    }
}

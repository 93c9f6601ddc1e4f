package dev.sluice.server.door;

import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Bounds every {@code @RequestBody} of every door by {@code sluice.request.max-json-size}: the body is read
 * into memory up to the limit before Jackson sees it, and one byte more refuses the request with 413 (a
 * {@link ProblemException}, which each door speaks in its own envelope). A {@code Content-Length} over the
 * limit is refused before a byte is read.
 */
@ControllerAdvice
class JsonBodyLimit extends RequestBodyAdviceAdapter {

    private final int max;

    JsonBodyLimit(RequestBodyProperties properties) {
        this.max = (int) properties.maxJsonSize().toBytes();
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        if (message.getHeaders().getContentLength() > max) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = message.getBody()) {
            body = in.readNBytes(max + 1);
        }
        if (body.length > max) {
            throw tooLarge();
        }
        HttpHeaders headers = message.getHeaders();
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    private ProblemException tooLarge() {
        return new ProblemException(Problem.PAYLOAD_TOO_LARGE, "the JSON body is larger than " + max
                + " bytes, more than this endpoint needs (sluice.request.max-json-size)");
    }
}

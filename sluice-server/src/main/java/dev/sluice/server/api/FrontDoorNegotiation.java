package dev.sluice.server.api;

import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.ContentNegotiationStrategy;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Reads {@code Accept} for the native API (which answers 406 to a type it does not speak) and ignores it
 * for the front doors: each answers its seed's one JSON representation, and the seeds' clients send all
 * kinds of {@code Accept} headers that must not turn a good request into an error.
 */
class FrontDoorNegotiation implements ContentNegotiationStrategy {

    /** Where the front doors live: {@code compat.<seed>}. */
    static final String FRONT_DOORS = "dev.sluice.server.compat.";

    private final HeaderContentNegotiationStrategy header = new HeaderContentNegotiationStrategy();

    @Override
    public List<MediaType> resolveMediaTypes(NativeWebRequest request) throws HttpMediaTypeNotAcceptableException {
        Object handler = request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
                RequestAttributes.SCOPE_REQUEST);
        if (handler instanceof HandlerMethod method && method.getBeanType().getName().startsWith(FRONT_DOORS)) {
            return MEDIA_TYPE_ALL_LIST;
        }
        return header.resolveMediaTypes(request);
    }
}

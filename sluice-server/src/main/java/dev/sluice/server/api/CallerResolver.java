package dev.sluice.server.api;

import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.Caller;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives controller methods their {@link Caller}: the account of the key in {@code x-api-key} or
 * {@code Authorization: Bearer}. No key or an unknown key answers 401.
 */
@Component
class CallerResolver implements HandlerMethodArgumentResolver {

    static final String API_KEY_HEADER = "x-api-key";
    private static final String BEARER = "Bearer ";

    private final AccountService accounts;

    CallerResolver(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        HttpServletRequest http = request.getNativeRequest(HttpServletRequest.class);
        String key = http.getHeader(API_KEY_HEADER);
        if (key == null) {
            String authorization = http.getHeader("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                key = authorization.substring(BEARER.length());
            }
        }
        if (key == null || key.isBlank()) {
            throw new ProblemException(Problem.UNAUTHORIZED,
                    "no API key: send it in the x-api-key header or as Authorization: Bearer <key>");
        }
        return accounts.authenticate(key)
                .orElseThrow(() -> new ProblemException(Problem.UNAUTHORIZED, "the API key is not valid"));
    }
}

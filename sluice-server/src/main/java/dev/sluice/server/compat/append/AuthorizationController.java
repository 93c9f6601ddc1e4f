package dev.sluice.server.compat.append;

import dev.sluice.server.account.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /{version}/authorization} with {@code x-api-key}: a token for the {@code AuthorizationToken}
 * header, answered as {@code {"token": "...", "expiration_date": "<epoch millis>"}}.
 */
@RestController
class AuthorizationController {

    private final AuthorizationTokens tokens;

    AuthorizationController(AuthorizationTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping("/{version:v\\d+}/authorization")
    Map<String, Object> authorize(HttpServletRequest request) {
        Caller caller = tokens.keyHolder(request);
        AuthorizationTokens.Issued issued = tokens.issue(caller);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", issued.token());
        answer.put("expiration_date", String.valueOf(issued.expiresAt().toEpochMilli()));
        return answer;
    }
}

package dev.sluice.server.api;

import dev.sluice.server.config.SluiceProperties;
import dev.sluice.server.ingest.UrlSigner;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Absolute links for clients: under {@code sluice.public-url} when set, else under the request's own base. */
@Component
class Links {

    private final String publicUrl;

    Links(SluiceProperties sluice) {
        String url = sluice.publicUrl();
        this.publicUrl = url == null || url.isBlank() ? null : url.replaceAll("/+$", "");
    }

    String absolute(UrlSigner.Signed signed) {
        String base = publicUrl != null ? publicUrl : ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
        return base + signed.pathAndQuery();
    }
}

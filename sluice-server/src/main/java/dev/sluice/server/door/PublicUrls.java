package dev.sluice.server.door;

import dev.sluice.server.config.SluiceProperties;
import dev.sluice.server.ingest.UrlSigner;
import java.net.URI;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Where clients reach this server, for every door: {@code sluice.public-url} when it is set (behind a proxy
 * or a load balancer), else the base the current request was sent to. {@code X-Forwarded-*} and
 * {@code Forwarded} headers are not trusted by default (a client could name any host in them); an operator
 * behind a proxy sets {@code sluice.public-url}, or Spring Boot's {@code server.forward-headers-strategy}.
 */
@Component
public class PublicUrls {

    private final String publicUrl;
    private final String publicHost;

    public PublicUrls(SluiceProperties sluice) {
        String url = sluice.publicUrl();
        this.publicUrl = url == null || url.isBlank() ? null : url.replaceAll("/+$", "");
        this.publicHost = publicUrl == null ? null : URI.create(publicUrl).getHost();
    }

    /** The base for absolute links, without a trailing slash: the public URL, else the request's own base. */
    public String base() {
        return publicUrl != null ? publicUrl : requestBase();
    }

    /** The base the current request was sent to (scheme, host, port, context path), without a trailing slash. */
    public String requestBase() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().toUriString().replaceAll("/+$", "");
    }

    /** The configured public URL, without a trailing slash, or null when links follow the request. */
    public String configured() {
        return publicUrl;
    }

    /** The host other protocols (the SFTP drop) are reached at: the public URL's, else this request's. */
    public String host() {
        return publicHost != null ? publicHost : ServletUriComponentsBuilder.fromCurrentRequest().build().getHost();
    }

    /** A signed link made absolute under {@link #base()}. */
    public String absolute(UrlSigner.Signed signed) {
        return base() + signed.pathAndQuery();
    }
}

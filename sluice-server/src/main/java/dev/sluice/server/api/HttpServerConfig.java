package dev.sluice.server.api;

import dev.sluice.server.config.DataDirLock;
import dev.sluice.server.config.SluiceProperties;
import dev.sluice.server.ingest.IngestProperties;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The HTTP server's resource limits: the {@link RequestBodyValve} in front of every request, body reads
 * that time out after {@code sluice.http.body-rate-window} of silence, and request parameters taken from
 * the query string only ({@link QueryParametersFilter}).
 */
@Configuration(proxyBeanMethods = false)
class HttpServerConfig {

    /** Room for multipart framing (boundaries, part headers) around the largest file a batch takes. */
    static final DataSize MULTIPART_FRAMING = DataSize.ofMegabytes(1);

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> requestBodyLimits(HttpProperties http,
            IngestProperties ingest) {
        long maxBody = ingest.maxFileSize().toBytes() + MULTIPART_FRAMING.toBytes();
        int silence = (int) Math.min(Integer.MAX_VALUE, http.bodyRateWindow().toMillis());
        return factory -> {
            RequestBodyValve valve = new RequestBodyValve(http, maxBody);
            factory.addEngineValves(valve);
            factory.addContextCustomizers(context -> context.getPipeline().addValve(valve.new CutBodyAnswer()));
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> protocol) {
                    protocol.setDisableUploadTimeout(false);
                    protocol.setConnectionUploadTimeout(silence);
                    // "100 Continue" only once a handler reads the body: a body refused before (413 by its
                    // length, 401, 404) is then never sent by a client that waits for it, and that client
                    // reads the refusal instead of failing on a connection closed under its upload.
                    protocol.setContinueResponseTiming("onRead");
                }
            });
        };
    }

    /**
     * Where the container keeps a multipart part larger than {@code spring.servlet.multipart.file-size-threshold}
     * while its request lasts (the seed door of {@code /email/batch} takes its file that way): {@code
     * <data-dir>/tmp/multipart}, unless {@code spring.servlet.multipart.location} names a folder. Left to the
     * container, it would be a folder under {@code java.io.tmpdir}, often a small in-memory file system where a
     * 50 MB upload fails, and outside the disk whose free space the server watches. Emptied at start, after the
     * data directory is locked to this process: a killed process leaves the parts of the requests it was reading.
     * Only where the container parses multipart bodies (a servlet server, multipart left enabled).
     */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnBooleanProperty(name = "spring.servlet.multipart.enabled", matchIfMissing = true)
    MultipartConfigElement multipartConfigElement(MultipartProperties multipart, SluiceProperties sluice,
            DataDirLock locked) throws IOException {
        if (multipart.getLocation() == null || multipart.getLocation().isBlank()) {
            Path folder = sluice.dataDir().resolve("tmp").resolve("multipart").toAbsolutePath().normalize();
            Files.createDirectories(folder);
            try (Stream<Path> left = Files.list(folder)) {
                for (Path file : left.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            multipart.setLocation(folder.toString());
        }
        return multipart.createMultipartConfig();
    }

    /**
     * The dispatcher parses no multipart body on its own: it would do so before the handler is even known,
     * and any {@code @RequestParam} would read the parts to look for a file of that name. A handler that takes
     * a file parses the body when its file argument is resolved (after its {@code Caller}) or explicitly
     * after checking the key; the container's multipart limits ({@code spring.servlet.multipart.*}) apply.
     */
    @Bean(name = DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    MultipartResolver multipartResolver() {
        return new MultipartResolver() {
            @Override
            public boolean isMultipart(HttpServletRequest request) {
                return false;
            }

            @Override
            public MultipartHttpServletRequest resolveMultipart(HttpServletRequest request) {
                throw new IllegalStateException("multipart bodies are parsed by the handler that takes the file");
            }

            @Override
            public void cleanupMultipart(MultipartHttpServletRequest request) {
            }
        };
    }

    @Bean
    FilterRegistrationBean<QueryParametersFilter> queryParametersFilter() {
        FilterRegistrationBean<QueryParametersFilter> registration = new FilterRegistrationBean<>(
                new QueryParametersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}

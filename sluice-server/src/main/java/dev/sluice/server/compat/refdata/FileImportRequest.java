package dev.sluice.server.compat.refdata;

import dev.sluice.server.store.UriPasswords;
import dev.sluice.server.dataset.imports.ImportOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The seed's file-import payload, checked and turned into the options of a native import job:
 * <pre>{@code
 * {"errorThreshold": 100 | "5%", "importType": "ignore" | "update" | "replace",
 *  "source": {"headers": false, "mappings": [{"column": 0}, ...], "separator": ",", "uri": "http://..."}}
 * }</pre>
 * The names are the native import's own, so each maps one to one: {@code importType} (default
 * {@code update}), {@code errorThreshold} (a count, 0 = no check, or a quoted percentage), and
 * {@code source.headers} / {@code separator} / {@code mappings} / {@code uri} as the load options of the
 * fetched batch. Unknown properties are refused, so a misspelt option never silently falls back to its
 * default.
 *
 * @param options the native job options, {@code dataset} included
 * @param uri     {@code source.uri}, the file the server fetches
 */
record FileImportRequest(Map<String, Object> options, String uri) {

    private static final Set<String> PROPERTIES = Set.of("errorThreshold", "importType", "source");
    private static final Set<String> SOURCE_PROPERTIES = Set.of("headers", "mappings", "separator", "uri");
    private static final Set<String> SCHEMES = Set.of("http", "https", "ftp");

    /** Reads the payload for {@code dataset}; {@link RefDataException} (400) says what is wrong. */
    static FileImportRequest parse(String dataset, Object payload) {
        if (!(payload instanceof Map<?, ?> body)) {
            throw RefDataException.badRequest("the request payload must be a JSON object: {\"errorThreshold\", "
                    + "\"importType\", \"source\": {\"headers\", \"mappings\", \"separator\", \"uri\"}}");
        }
        unknown(body, PROPERTIES, "");
        if (!(body.get("source") instanceof Map<?, ?> source)) {
            throw RefDataException.badRequest("the request payload needs \"source\": {\"uri\": \"http://...\", "
                    + "\"headers\", \"mappings\", \"separator\"}");
        }
        unknown(source, SOURCE_PROPERTIES, "source.");
        if (!(source.get("uri") instanceof String uri) || uri.isBlank()) {
            throw RefDataException.badRequest("source.uri is required: where the file is, as an http, https or ftp "
                    + "URI (basic authentication in the URI is supported)");
        }
        checkUri(uri.strip());
        Map<String, Object> nativeSource = new LinkedHashMap<>();
        source.forEach((name, value) -> nativeSource.put(String.valueOf(name), value));
        nativeSource.put("uri", uri.strip());
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("dataset", dataset);
        if (body.get("importType") != null) {
            options.put("importType", body.get("importType"));
        }
        if (body.get("errorThreshold") != null) {
            options.put("errorThreshold", body.get("errorThreshold"));
        }
        options.put("source", nativeSource);
        try {
            ImportOptions.parse(options);
        } catch (IllegalArgumentException e) {
            throw RefDataException.badRequest(e.getMessage());
        }
        return new FileImportRequest(options, uri.strip());
    }

    private static void unknown(Map<?, ?> map, Set<String> known, String prefix) {
        for (Object name : map.keySet()) {
            if (!known.contains(String.valueOf(name))) {
                throw RefDataException.badRequest("unknown property '" + prefix + name + "'; the payload takes "
                        + known.stream().sorted().map(k -> prefix + k).toList());
            }
        }
    }

    private static void checkUri(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw RefDataException.badRequest("source.uri '" + UriPasswords.mask(text) + "' is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme) || uri.getHost() == null) {
            throw RefDataException.badRequest("source.uri must be an absolute http, https or ftp URI, was '"
                    + withoutPassword(uri, text) + "'");
        }
    }

    /** The URI as the client sent it, with any password in it replaced, for messages. */
    private static String withoutPassword(URI uri, String text) {
        String userInfo = uri.getRawUserInfo();
        return userInfo == null || !userInfo.contains(":") ? text
                : text.replace(userInfo, userInfo.substring(0, userInfo.indexOf(':')) + ":***");
    }
}

package dev.candor.internal.upload;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The collector's address as the catalog or {@code <APP>_TELEMETRY_ENDPOINT} gives it, checked
 * once before any upload: an absolute {@code http} or {@code https} URL with a host, or a message
 * saying what to fix. Loaded only when there is something to send.
 */
final class CollectorEndpoint {
    private final URI uri;
    private final String problem;

    private CollectorEndpoint(URI uri, String problem) {
        this.uri = uri;
        this.problem = problem;
    }

    static CollectorEndpoint parse(String endpoint, String app) {
        String fix = "; fix \"endpoint\" in the catalog or set " + app.toUpperCase(Locale.ROOT) + "_TELEMETRY_ENDPOINT";
        if (endpoint == null) {
            return new CollectorEndpoint(null, "the telemetry endpoint is not set" + fix);
        }
        try {
            URI uri = new URI(endpoint);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return new CollectorEndpoint(uri, null);
            }
            return new CollectorEndpoint(null, "the telemetry endpoint \"" + endpoint + "\" is not an absolute http(s) URL" + fix);
        } catch (URISyntaxException e) {
            return new CollectorEndpoint(null, "the telemetry endpoint \"" + endpoint + "\" is not a URL (" + e.getMessage() + ")" + fix);
        }
    }

    /** The endpoint, or {@code null} when it cannot be used. */
    URI uri() {
        return uri;
    }

    /** What is wrong with the endpoint and how to fix it, when {@link #uri()} is {@code null}. */
    String problem() {
        return problem;
    }
}

package dev.candor.server.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One error answer, written as {@code application/problem+json} (RFC 9457): a stable
 * {@code type} per kind of problem, the HTTP status, a precise {@code detail} saying what went
 * wrong and what to do, and for validation the JSON path of every problem found.
 *
 * @param kind short stable name of the kind of problem ({@code malformed}, {@code too-large}, …);
 *     the {@code type} URI ends with it and metrics label rejections with it
 * @param errors each problem at its place in the request body; empty when there is no body to point into
 */
public record Problem(int status, String kind, String title, String detail, List<FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";
    /** At most this many field errors are listed in one answer. */
    public static final int MAX_LISTED = 50;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Problem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        errors = List.copyOf(errors);
    }

    /** One problem at one place of the body: {@code path} is a JSONPath such as {@code $.reports[2].period}. */
    public record FieldError(String path, String detail) {}

    public static Problem malformed(String detail) {
        return new Problem(400, "malformed", "Malformed request", detail, List.of());
    }

    public static Problem tooLarge(String detail) {
        return new Problem(413, "too-large", "Request too large", detail, List.of());
    }

    /** 408: the body did not arrive in time (a sender that stalls mid-body, see {@code CollectorServer}). */
    public static Problem requestTimeout(String detail) {
        return new Problem(408, "request-timeout", "Request timeout", detail, List.of());
    }

    public static Problem unsupportedMediaType(String detail) {
        return new Problem(415, "unsupported-media-type", "Unsupported media type", detail, List.of());
    }

    /** 422: the body is well-formed JSON but breaks the wire format or the app's catalog. */
    public static Problem invalidReports(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).path() + ": " + errors.get(0).detail()
                : errors.size() + " problems, first " + errors.get(0).path() + ": " + errors.get(0).detail()
                        + " (" + (errors.size() > MAX_LISTED ? "the first " + MAX_LISTED + " are" : "each is")
                        + " listed in errors; nothing of this request was stored)";
        return new Problem(422, "invalid-report", "Report not valid for its catalog", detail,
                errors.size() > MAX_LISTED ? errors.subList(0, MAX_LISTED) : errors);
    }

    public static Problem rateLimited(long retryAfterSeconds) {
        return new Problem(429, "rate-limited", "Too many requests",
                "too many requests from this address; retry after " + retryAfterSeconds + " s", List.of());
    }

    /** 429 for a sender that sent too many wrong admin tokens (see {@code CollectorServer}). */
    public static Problem tooManyWrongTokens(long retryAfterSeconds, int atOnce) {
        return new Problem(429, "rate-limited", "Too many wrong admin tokens",
                "too many wrong admin tokens from this address (" + atOnce + " at once, then one a minute);"
                        + " retry after " + retryAfterSeconds + " s", List.of());
    }

    public static Problem storageUnavailable(String detail) {
        return new Problem(503, "storage-unavailable", "Storage unavailable",
                detail + "; nothing of this request was stored, send it again later", List.of());
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail, List.of());
    }

    /** The JSON body: {@code type}, {@code title}, {@code status}, {@code detail} and, if any, {@code errors}. */
    public byte[] toJson() {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("type", "urn:candor:problem:" + kind);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!errors.isEmpty()) {
            ArrayNode list = body.putArray("errors");
            for (FieldError error : errors) {
                list.addObject().put("path", error.path()).put("detail", error.detail());
            }
        }
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

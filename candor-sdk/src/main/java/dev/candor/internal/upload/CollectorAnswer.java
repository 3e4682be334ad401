package dev.candor.internal.upload;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * What the collector did with one POST: an HTTP status (with its {@code Retry-After} and the start
 * of a problem description), or no answer at all and why. It exists so that the uploader's
 * decision (sent, kept, dropped) is a pure function of the answer, apart from the HTTP code.
 */
final class CollectorAnswer {
    /** The status of an answer that never came (refused, timed out, not HTTP). */
    static final int NO_ANSWER = -1;

    private final int status;
    private final long retryAfterMillis;
    private final String detail;

    private CollectorAnswer(int status, long retryAfterMillis, String detail) {
        this.status = status;
        this.retryAfterMillis = retryAfterMillis;
        this.detail = detail;
    }

    static CollectorAnswer status(int status, long retryAfterMillis, String detail) {
        return new CollectorAnswer(status, retryAfterMillis, detail == null ? "" : detail);
    }

    static CollectorAnswer noAnswer(String why) {
        return new CollectorAnswer(NO_ANSWER, -1, why);
    }

    int status() {
        return status;
    }

    boolean accepted() {
        return status >= 200 && status < 300;
    }

    /**
     * Whether trying again later may succeed: no answer, 5xx, 429 (rate-limited) and 408 (the
     * collector timed out reading; the report itself is fine). Any other 4xx is final.
     */
    boolean worthRetrying() {
        return status == NO_ANSWER || status >= 500 || status == 429 || status == 408;
    }

    /** Whether the collector will never take this report: a 4xx other than 408 and 429. */
    boolean rejected() {
        return status >= 400 && status < 500 && !worthRetrying();
    }

    /** How long the collector asked us to wait ({@code Retry-After}), or -1 when it did not say. */
    long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** A short description for the user, e.g. {@code collector answered 503} or {@code connection refused}. */
    String describe() {
        if (status == NO_ANSWER) {
            return detail;
        }
        String text = "collector answered " + status;
        if (retryAfterMillis >= 0) {
            text += " (retry after " + Math.max(1, (retryAfterMillis + 999) / 1000) + " s)";
        }
        return detail.isEmpty() ? text : text + ": " + detail;
    }

    /**
     * The delay a {@code Retry-After} header asks for: delta-seconds or an HTTP date, as of
     * {@code nowMillis}. Returns -1 when the header is absent or unreadable, 0 for a date passed.
     */
    static long parseRetryAfter(String header, long nowMillis) {
        if (header == null) {
            return -1;
        }
        String value = header.trim();
        if (value.isEmpty()) {
            return -1;
        }
        boolean digits = true;
        for (int i = 0; i < value.length(); i++) {
            digits &= value.charAt(i) >= '0' && value.charAt(i) <= '9';
        }
        if (digits) {
            return value.length() > 9 ? Long.MAX_VALUE / 2 : Long.parseLong(value) * 1000;
        }
        try {
            long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Math.max(0, at - nowMillis);
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}

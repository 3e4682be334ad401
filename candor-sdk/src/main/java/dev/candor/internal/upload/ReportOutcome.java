package dev.candor.internal.upload;

/**
 * What happened to one report file during an upload or an outbox clean-up, in words a user can
 * read: {@value #SENT}, {@value #KEPT} (still in the outbox, tried again later) or {@value #DROPPED}
 * (removed, never sent), each with the reason. Immutable.
 */
public final class ReportOutcome {
    /** The collector accepted it; a copy is in {@code sent/}. */
    public static final String SENT = "sent";
    /** It stays in the outbox for a later upload. */
    public static final String KEPT = "kept";
    /** It was removed from the outbox and will never be sent. */
    public static final String DROPPED = "dropped";

    private final String fileName;
    private final String kind;
    private final String reason;

    private ReportOutcome(String fileName, String kind, String reason) {
        this.fileName = fileName;
        this.kind = kind;
        this.reason = reason;
    }

    static ReportOutcome sent(String fileName, String reason) {
        return new ReportOutcome(fileName, SENT, reason);
    }

    static ReportOutcome kept(String fileName, String reason) {
        return new ReportOutcome(fileName, KEPT, reason);
    }

    static ReportOutcome dropped(String fileName, String reason) {
        return new ReportOutcome(fileName, DROPPED, reason);
    }

    /** The file name in the outbox, {@code <period>_<report_id>.json} (or the foreign name that was removed). */
    public String fileName() {
        return fileName;
    }

    /** The report's fate: {@link #SENT}, {@link #KEPT} or {@link #DROPPED} (compare with {@code equals}). */
    public String kind() {
        return kind;
    }

    /** Why, in one short sentence without a trailing period, e.g. {@code collector answered 503}. */
    public String reason() {
        return reason;
    }

    /** One line for a terminal, e.g. {@code kept     2026-11-24_7f1c….json: collector answered 503}. */
    @Override
    public String toString() {
        return kind + "         ".substring(kind.length()) + fileName + ": " + reason;
    }
}

package dev.candor.internal.upload;

/**
 * What happened to one report file during an upload or an outbox clean-up, in words a user can
 * read: {@code sent}, {@code kept} (still in the outbox, tried again later) or {@code dropped}
 * (removed, never sent), each with the reason. Immutable.
 */
public final class ReportOutcome {
    /** The three fates of a report file. */
    public enum Kind {
        /** The collector accepted it; a copy is in {@code sent/}. */
        SENT,
        /** It stays in the outbox for a later upload. */
        KEPT,
        /** It was removed from the outbox and will never be sent. */
        DROPPED
    }

    private final String fileName;
    private final Kind kind;
    private final String reason;

    ReportOutcome(String fileName, Kind kind, String reason) {
        this.fileName = fileName;
        this.kind = kind;
        this.reason = reason;
    }

    static ReportOutcome sent(String fileName, String reason) {
        return new ReportOutcome(fileName, Kind.SENT, reason);
    }

    static ReportOutcome kept(String fileName, String reason) {
        return new ReportOutcome(fileName, Kind.KEPT, reason);
    }

    static ReportOutcome dropped(String fileName, String reason) {
        return new ReportOutcome(fileName, Kind.DROPPED, reason);
    }

    /** The file name in the outbox, {@code <period>_<report_id>.json} (or the foreign name that was removed). */
    public String fileName() {
        return fileName;
    }

    public Kind kind() {
        return kind;
    }

    /** Why, in one short sentence without a trailing period, e.g. {@code collector answered 503}. */
    public String reason() {
        return reason;
    }

    /** One line for a terminal, e.g. {@code kept     2026-11-24_7f1c….json: collector answered 503}. */
    @Override
    public String toString() {
        String label = kind.name().toLowerCase(java.util.Locale.ROOT);
        return label + "         ".substring(label.length()) + fileName + ": " + reason;
    }
}

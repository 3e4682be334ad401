package dev.candor.internal.upload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one upload did, report by report, for {@code telemetry send} to print and for tests to
 * check: each outbox file that was sent, kept or dropped, with the reason, plus a note when
 * nothing was tried at all (empty outbox, another process uploading, no endpoint). Immutable.
 */
public final class UploadResult {
    private final List<ReportOutcome> outcomes;
    private final String note;
    private final boolean attempted;

    UploadResult(List<ReportOutcome> outcomes, String note, boolean attempted) {
        this.outcomes = Collections.unmodifiableList(new ArrayList<>(outcomes));
        this.note = note == null ? "" : note;
        this.attempted = attempted;
    }

    /** Every report file this upload decided about, in the order it did. */
    public List<ReportOutcome> outcomes() {
        return outcomes;
    }

    /** Why nothing (more) was tried, e.g. {@code nothing to send: the outbox is empty}; empty when there is nothing to add. */
    public String note() {
        return note;
    }

    /** Whether the collector was contacted (an upload attempt was made and recorded). */
    public boolean attempted() {
        return attempted;
    }

    /** How many reports had the fate {@code kind} ({@link ReportOutcome#SENT}, {@link ReportOutcome#KEPT} or {@link ReportOutcome#DROPPED}). */
    public int count(String kind) {
        int n = 0;
        for (ReportOutcome outcome : outcomes) {
            n += outcome.kind().equals(kind) ? 1 : 0;
        }
        return n;
    }

    /** The outcome of the report {@code fileName}, or {@code null} if this upload did not decide about it. */
    public ReportOutcome outcomeOf(String fileName) {
        for (ReportOutcome outcome : outcomes) {
            if (outcome.fileName().equals(fileName)) {
                return outcome;
            }
        }
        return null;
    }

    /** Lines for a terminal: one per report, then the note, then {@code 2 sent, 1 kept, 0 dropped}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (ReportOutcome outcome : outcomes) {
            text.append(outcome).append('\n');
        }
        if (!note.isEmpty()) {
            text.append(note).append('\n');
        }
        text.append(count(ReportOutcome.SENT)).append(" sent, ")
                .append(count(ReportOutcome.KEPT)).append(" kept, ")
                .append(count(ReportOutcome.DROPPED)).append(" dropped");
        return text.toString();
    }
}

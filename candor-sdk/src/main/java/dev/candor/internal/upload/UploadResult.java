package dev.candor.internal.upload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What one upload did, report by report, for {@code telemetry send} to print and for tests to
 * check: each outbox file that was sent, kept or dropped, with the reason, plus a note when
 * nothing was tried at all (empty outbox, another process uploading, no endpoint).
 *
 * <p>The {@link Uploader} fills one in as its round goes (the package-private methods), and hands
 * out a {@link #snapshot}, which nothing changes any more. Thread-safe: a {@code sendNow} caller
 * may give up waiting ({@link #abandon}) and take its snapshot while the round's thread still writes.
 */
public final class UploadResult {
    private final long deadlineNanos;
    private final List<ReportOutcome> outcomes = new ArrayList<>();
    /** The reports this round is about; those it does not decide about are reported as kept. */
    private final Set<String> pending = new LinkedHashSet<>();
    private final StringBuilder notes = new StringBuilder();
    private volatile boolean abandoned;
    private boolean attempted;

    /** A round to fill in that must end by {@code deadlineNanos} ({@code System.nanoTime()}; {@code Long.MAX_VALUE}: never). */
    UploadResult(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** Every report file this upload decided about, in the order it did. */
    public synchronized List<ReportOutcome> outcomes() {
        return Collections.unmodifiableList(new ArrayList<>(outcomes));
    }

    /** Why nothing (more) was tried, e.g. {@code nothing to send: the outbox is empty}; empty when there is nothing to add. */
    public synchronized String note() {
        return notes.toString();
    }

    /** Whether the collector was contacted (an upload attempt was made and recorded). */
    public synchronized boolean attempted() {
        return attempted;
    }

    /** How many reports had the fate {@code kind} ({@link ReportOutcome#SENT}, {@link ReportOutcome#KEPT} or {@link ReportOutcome#DROPPED}). */
    public synchronized int count(String kind) {
        int n = 0;
        for (ReportOutcome outcome : outcomes) {
            n += outcome.kind().equals(kind) ? 1 : 0;
        }
        return n;
    }

    /** The outcome of the report {@code fileName}, or {@code null} if this upload did not decide about it. */
    public synchronized ReportOutcome outcomeOf(String fileName) {
        for (ReportOutcome outcome : outcomes) {
            if (outcome.fileName().equals(fileName)) {
                return outcome;
            }
        }
        return null;
    }

    /** Lines for a terminal: one per report, then the note, then {@code 2 sent, 1 kept, 0 dropped}. */
    @Override
    public synchronized String toString() {
        StringBuilder text = new StringBuilder();
        for (ReportOutcome outcome : outcomes) {
            text.append(outcome).append('\n');
        }
        if (notes.length() > 0) {
            text.append(notes).append('\n');
        }
        return text.append(count(ReportOutcome.SENT)).append(" sent, ").append(count(ReportOutcome.KEPT))
                .append(" kept, ").append(count(ReportOutcome.DROPPED)).append(" dropped").toString();
    }

    long remainingMillis() {
        return deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE
                : TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    boolean abandoned() {
        return abandoned;
    }

    /** The caller stopped waiting: the round tries nothing more. */
    void abandon() {
        abandoned = true;
    }

    synchronized void markAttempted() {
        attempted = true;
    }

    synchronized void add(ReportOutcome outcome) {
        outcomes.add(outcome);
    }

    synchronized void addAll(List<ReportOutcome> more) {
        outcomes.addAll(more);
    }

    /** Names the reports this round is about; those it does not decide about are reported as kept. */
    synchronized void pending(List<ReportFile> reports) {
        for (ReportFile report : reports) {
            pending.add(report.fileName());
        }
    }

    synchronized boolean hasPending() {
        return !pending.isEmpty();
    }

    synchronized void note(String note) {
        if (notes.length() > 0) {
            notes.append("; ");
        }
        notes.append(note);
    }

    /** The result as it stands, as a copy; any named report not yet decided is kept for {@code undecidedReason}. */
    synchronized UploadResult snapshot(String undecidedReason) {
        UploadResult copy = new UploadResult(deadlineNanos);
        copy.outcomes.addAll(outcomes);
        String reason = notes.length() > 0 && !attempted ? notes.toString() : undecidedReason;
        for (String name : pending) {
            if (outcomeOf(name) == null) {
                copy.outcomes.add(ReportOutcome.kept(name, reason));
            }
        }
        copy.notes.append(notes);
        copy.attempted = attempted;
        return copy;
    }
}

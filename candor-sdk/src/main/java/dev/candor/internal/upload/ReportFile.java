package dev.candor.internal.upload;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One report as stored in {@code outbox/} or {@code sent/}: its name and its exact bytes, the wire
 * format v1 JSON that is (or was) sent. It exists so that {@code telemetry show} can print exactly
 * what leaves the machine, byte for byte. Immutable; {@link #bytes()} returns a copy.
 */
public final class ReportFile {
    private final ReportName name;
    private final Path path;
    private final byte[] bytes;
    private final Instant lastModified;

    ReportFile(ReportName name, Path path, byte[] bytes, Instant lastModified) {
        this.name = name;
        this.path = path;
        this.bytes = bytes;
        this.lastModified = lastModified;
    }

    /** The file name, {@code <period>_<report_id>.json}. */
    public String fileName() {
        return name.fileName();
    }

    /** The period the report covers, as in its name and its {@code period} key. */
    public String period() {
        return name.period();
    }

    /** The report's random id, as in its name and its {@code report_id} key. */
    public String reportId() {
        return name.reportId();
    }

    /** Where the file is (or was, if it has since been sent or removed). */
    public Path path() {
        return path;
    }

    /** The exact bytes of the report: UTF-8 JSON in wire format v1. A fresh copy each call. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The report as text, exactly as it is sent. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The file's size in bytes. */
    public int size() {
        return bytes.length;
    }

    /** When the file was last written: for {@code sent/}, when the report was sent. */
    public Instant lastModified() {
        return lastModified;
    }

    ReportName name() {
        return name;
    }

    byte[] sharedBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return name.fileName();
    }
}

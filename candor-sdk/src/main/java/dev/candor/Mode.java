package dev.candor;

/**
 * What telemetry may do on this machine, as the user decided it.
 * {@code ON}: record and send. {@code LOCAL}: record and keep on this machine only (the last 30 reports), never sent.
 * {@code OFF}: neither; nothing is written and no socket is opened.
 */
public enum Mode {
    ON, LOCAL, OFF
}

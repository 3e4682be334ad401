/**
 * Not for public use: the outbox of reports waiting to be sent, the bounded copies of what was
 * sent, and the one daemon thread that uploads. Nothing here runs unless telemetry is in mode
 * {@code ON}: in mode {@code LOCAL} the facade never creates an {@link dev.candor.internal.upload.Uploader},
 * and {@code <state>/local/} is never read by this package.
 */
package dev.candor.internal.upload;

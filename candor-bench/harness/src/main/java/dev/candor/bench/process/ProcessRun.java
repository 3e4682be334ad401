package dev.candor.bench.process;

/**
 * One run of a tiny app as a whole process.
 *
 * @param wallMillis  from just before the process was started to the moment it had exited
 * @param workMillis  from the start to the app's "work done" line (JVM start, library start, one event)
 * @param exitMillis  from the app's "work done" line to the process's exit (flushes, shutdown hooks, JVM exit)
 * @param peakRssKb   the process's peak resident set size, or -1 where it could not be measured
 * @param killed      whether the run was killed at the harness's time limit (then the times are that limit)
 */
public record ProcessRun(double wallMillis, double workMillis, double exitMillis, long peakRssKb, boolean killed) {
}

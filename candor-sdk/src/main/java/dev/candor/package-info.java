/**
 * The public API of Candor: start telemetry once, resolve counters once, record on the hot path.
 */
package dev.candor;

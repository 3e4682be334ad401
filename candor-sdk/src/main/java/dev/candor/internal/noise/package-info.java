/**
 * Exact samplers for privacy noise, shared by the SDK and the collector.
 * Not for public use: not exported by the module, may change at any time.
 */
package dev.candor.internal.noise;

/**
 * The SDK's strict JSON reader and writer.
 * Not for public use: not exported by the module, may change at any time.
 */
package dev.candor.internal.json;

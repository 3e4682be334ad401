/**
 * The catalog model, its strict parser and validator, field types and their buckets.
 * Not for public use: not exported by the module, may change at any time.
 */
package dev.candor.internal.catalog;

/**
 * Recording: counters and their handles, this process's counter files, merging closed periods
 * into exactly one report per period, and building reports in wire format v1.
 * Not for public use: not exported by the module, may change at any time.
 */
package dev.candor.internal.record;

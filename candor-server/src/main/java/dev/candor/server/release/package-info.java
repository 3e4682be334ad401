/**
 * Private releases: contribution bounding, discrete Laplace noise through the SDK's exact
 * sampler, 95% intervals, suppression, thresholds for keys the catalog does not fix, and the
 * public ledger of every release (DESIGN §7).
 */
package dev.candor.server.release;

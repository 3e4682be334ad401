/**
 * The population simulator: plays many acme installs into a collector through the SDK's own
 * report builder and writes the ground truth, so releases can be checked against it.
 */
package dev.candor.server.simulate;

/** The Candor collector: ingest, store, rollup, release, web and cli. */
package dev.candor.server;

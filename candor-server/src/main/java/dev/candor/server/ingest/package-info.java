/**
 * {@code POST /v1/reports}: reading the body within its limits (gzip included), strict JSON,
 * validation of every report against its app's catalog, rate limiting, and the
 * {@code application/problem+json} answers for everything that goes wrong.
 */
package dev.candor.server.ingest;

/**
 * The collector's HTTP surface: routes for reports, catalogs, periods, health and metrics, admin
 * authentication, and the mapping of every failure to {@code application/problem+json}.
 */
package dev.candor.server.web;
